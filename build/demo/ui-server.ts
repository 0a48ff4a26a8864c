/**
 * Serves the built renderer on 127.0.0.1 for browser mode, with the runtime config the UI reads at
 * start (where the hub and the device agent are) and the item catalogue the workstation loads
 * (./catalog/items.json: the administrator's file the hub also checks results against, else the
 * bundled starter set — never a 404). Sends the same CSP as the Electron shell.
 */
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AddressInfo } from 'node:net';
import { loadItemCatalog } from '../../core/catalog/index.ts';
import starterItems from '../../core/catalog/data/items.json' with { type: 'json' };

export interface UiServerOptions {
  root: string;
  port: number;
  runtimeConfig: { hubUrl: string; agentUrl?: string | undefined; demo: boolean };
  /** The administrator's item catalogue JSON (core/catalog format), as given to the hub; the starter set when unset. */
  itemCatalogFile?: string | undefined;
}

export interface RunningUiServer {
  url: string;
  close(): Promise<void>;
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  // Read and checked once at start, like the hub does: a bad file stops here with the catalogue's message.
  const itemCatalog: unknown = options.itemCatalogFile ? JSON.parse(await readFile(options.itemCatalogFile, 'utf8')) : starterItems;
  loadItemCatalog(itemCatalog);
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: options.root, index: 'index.html' });
  app.get('/runtime-config.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return options.runtimeConfig;
  });
  app.get('/catalog/items.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return itemCatalog;
  });
  await app.listen({ host: '127.0.0.1', port: options.port });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => app.close() };
}
