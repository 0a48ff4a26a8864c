// The CouchDB-protocol anchor the hub and sync benches compare against (couchdb-anchor.ts) (devDependencies of the bench only,
// untyped): PouchDB on leveldb served by express-pouchdb.
declare module 'pouchdb-node';
declare module 'express-pouchdb';
declare module 'express';
