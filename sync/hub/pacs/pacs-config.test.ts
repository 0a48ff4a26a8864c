import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig } from '../config.ts';

describe('PACS forwarding configuration', () => {
  it('is off unless configured', () => {
    expect(loadHubConfig({}).pacsForward).toBeUndefined();
  });

  it('is switched on by HUB_PACS_URL with its credentials, with the retry defaults', () => {
    const config = loadHubConfig({ HUB_PACS_URL: 'http://pacs.county.local:8042/dicom-web/studies', HUB_PACS_USERNAME: 'hub', HUB_PACS_PASSWORD: 's3cret' });
    expect(config.pacsForward).toEqual({
      url: 'http://pacs.county.local:8042/dicom-web/studies',
      username: 'hub',
      password: 's3cret',
      timeoutMs: 30_000,
      retryInitialMs: 5_000,
      retryMaxMs: 3_600_000,
      pollMs: 5_000,
    });
  });

  it('reads pacsForward from the HUB_CONFIG file, the environment overriding its URL', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-pacs-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ pacsForward: { url: 'http://old:8042/dicom-web/studies', retryMaxMs: 600_000, since: '2026-11-01T00:00:00+08:00' } }));
    expect(loadHubConfig({ HUB_CONFIG: file, HUB_PACS_URL: 'https://pacs:8443/dicom-web/studies' }).pacsForward).toMatchObject({
      url: 'https://pacs:8443/dicom-web/studies',
      retryMaxMs: 600_000,
      since: '2026-11-01T00:00:00+08:00',
    });
  });

  it('stops the hub naming the bad setting', () => {
    expect(() => loadHubConfig({ HUB_PACS_URL: 'ftp://pacs/studies' })).toThrow(/pacsForward\.url/);
    const file = join(mkdtempSync(join(tmpdir(), 'hub-pacs-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ pacsForward: { url: 'http://pacs/dicom-web/studies', retries: 3 } }));
    expect(() => loadHubConfig({ HUB_CONFIG: file })).toThrow(/pacsForward/);
  });
});
