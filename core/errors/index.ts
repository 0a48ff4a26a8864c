export * from './catalogue.ts';
export * from './coded-error.ts';
