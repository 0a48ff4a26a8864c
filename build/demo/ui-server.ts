/**
 * Serves the built renderer on 127.0.0.1 for browser mode, with the runtime config the UI reads at
 * start (where the hub and the device agent are). Sends the same CSP as the Electron shell.
 */
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AddressInfo } from 'node:net';

export interface UiServerOptions {
  root: string;
  port: number;
  runtimeConfig: { hubUrl: string; agentUrl?: string | undefined; demo: boolean };
}

export interface RunningUiServer {
  url: string;
  close(): Promise<void>;
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: options.root, index: 'index.html' });
  app.get('/runtime-config.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return options.runtimeConfig;
  });
  await app.listen({ host: '127.0.0.1', port: options.port });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => app.close() };
}
