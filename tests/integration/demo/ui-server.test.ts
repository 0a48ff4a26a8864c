import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer } from '../../../build/demo/ui-server.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ui-server-'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const runtimeConfig = { hubUrl: 'http://127.0.0.1:1', demo: true };

describe('the browser-mode UI server', () => {
  it('answers ./catalog/items.json with the starter catalogue instead of a 404', async () => {
    const ui = await startUiServer({ root, port: 0, runtimeConfig });
    try {
      const response = await fetch(new URL('catalog/items.json', ui.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('json');
      const file = (await response.json()) as { items: Array<{ code: string }> };
      expect(file.items.map((i) => i.code)).toContain('LAB-CBC');
    } finally {
      await ui.close();
    }
  });

  it("serves the administrator's catalogue file when given, and refuses a bad one at start", async () => {
    const file = path.join(root, 'county-items.json');
    await writeFile(file, JSON.stringify({ version: 3, items: [{ code: 'LAB-LOCAL', name: '本地项目', category: 'lab', priceYuan: 9, recognitionScope: 'community' }] }));
    const ui = await startUiServer({ root, port: 0, runtimeConfig, itemCatalogFile: file });
    try {
      const served = (await (await fetch(new URL('catalog/items.json', ui.url))).json()) as { version: number };
      expect(served.version).toBe(3);
    } finally {
      await ui.close();
    }
    await writeFile(file, JSON.stringify({ version: 1, items: [{ code: 'bad code' }] }));
    await expect(startUiServer({ root, port: 0, runtimeConfig, itemCatalogFile: file })).rejects.toThrow(/item catalogue file is not valid/);
  });
});
