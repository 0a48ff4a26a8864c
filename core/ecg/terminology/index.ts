export * from './statements.ts';
export * from './search.ts';
