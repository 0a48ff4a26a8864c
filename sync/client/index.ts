export * from './database.ts';
export * from './records.ts';
export * from './search.ts';
export * from './drafts.ts';
export * from './errors.ts';
export * from './replication.ts';
export * from './blob-upload.ts';
export { SyncError, type SyncErrorCode, type HubConnection } from './hub-http.ts';
