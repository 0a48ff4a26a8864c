/**
 * Serves the built renderer at /reading-room/ (阅片室): the same React app the clinics run, which
 * starts in the ECG center's role when its runtime config says so. Same origin as the API, so the
 * page talks to the hub without CORS and any modern browser at the centre can open it. The page
 * keeps its records in the browser's IndexedDB and replicates like a clinic workstation does.
 */
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const READING_ROOM_PATH = '/reading-room/';

export async function registerReadingRoom(app: FastifyInstance, root: string, options: { demo: boolean }): Promise<void> {
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn('reading room not served: no renderer build (npm run build:renderer)');
    return;
  }
  app.get('/reading-room', async (_request, reply) => reply.redirect(READING_ROOM_PATH));
  app.get(`${READING_ROOM_PATH}runtime-config.json`, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    // hubUrl '' = this page's own origin.
    return { hubUrl: '', demo: options.demo, role: 'center' };
  });
  await app.register(fastifyStatic, { root, prefix: READING_ROOM_PATH, index: 'index.html', decorateReply: false });
}
