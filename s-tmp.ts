import { startHub } from './sync/hub/start.ts';
const t = Date.now();
const hub = await startHub({ port: 0, demo: true, logLevel: 'silent', dataDir: '/tmp/pgl-' + Date.now() });
console.log('started', Date.now() - t);
await hub.close();
