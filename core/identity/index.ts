export * from './codes.ts';
export * from './id-number.ts';
export * from './identity-document.ts';
export * from './text-block.ts';
export * from './identity-document-schema.ts';
export { decodeBase64, encodeBase64 } from './base64.ts';
