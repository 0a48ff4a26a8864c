export * from './search-keys.ts';
export * from './icd10.ts';
export * from './items.ts';
