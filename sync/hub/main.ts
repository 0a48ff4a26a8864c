/**
 * `npm run hub`: starts the county hub from environment variables / HUB_CONFIG (see README.md) and
 * closes it cleanly on Ctrl-C or SIGTERM (in-flight requests finish, the database is closed, so a
 * PGlite data directory is never left half-written).
 */
import { fileURLToPath } from 'node:url';
import { loadHubConfig } from './config.ts';
import { startHub } from './start.ts';

let options;
try {
  options = loadHubConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

// The renderer build, when there is one, is served as the ECG center's reading room (/reading-room/).
const hub = await startHub({ readingRoomDir: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)), ...options });
console.log(`Clinic hub listening on ${hub.url} (${hub.context.db.kind}${options.dataDir && !options.databaseUrl ? ` at ${options.dataDir}` : ''})`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing the hub…`);
  try {
    await hub.close();
    process.exit(0);
  } catch (error) {
    console.error('Hub did not close cleanly:', (error as Error).message);
    process.exit(1);
  }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
