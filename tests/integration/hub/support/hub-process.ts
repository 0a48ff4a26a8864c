/**
 * Runs a hub in its own process for crash tests: `node --import tsx hub-process.ts '<options json>'`.
 * Prints `{"url": …}` on stdout once listening. Killed with SIGKILL by the test, like a power cut.
 */
import { startHub } from '../../../../sync/hub/start.ts';

const options = JSON.parse(process.argv[2] ?? '{}');
const hub = await startHub({ ...options, logLevel: 'silent' });
process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
