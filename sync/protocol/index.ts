export * from './wire.ts';
export * from './errors.ts';
export * from './documents.ts';
export * from './conflicts.ts';
export * from './master-patient.ts';
