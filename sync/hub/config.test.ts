import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHubConfig } from './config.ts';

describe('hub configuration from the environment', () => {
  it('runs on PGlite in .hub-data on 127.0.0.1:8787 when nothing is set', () => {
    expect(loadHubConfig({})).toMatchObject({ dataDir: '.hub-data', host: '127.0.0.1', port: 8787, demo: false, logLevel: 'info' });
  });

  it('uses PostgreSQL, not a data directory, when DATABASE_URL is set', () => {
    const config = loadHubConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hub', HUB_PORT: '9000' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/hub', port: 9000 });
    expect(config.dataDir).toBeUndefined();
  });

  it('reads a HUB_CONFIG file and lets environment variables override it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
    const file = join(dir, 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 7000, host: '0.0.0.0', settings: { accessTokenTtlSeconds: 600 } }));
    expect(loadHubConfig({ HUB_CONFIG: file, HUB_PORT: '7001' })).toMatchObject({ port: 7001, host: '0.0.0.0', settings: { accessTokenTtlSeconds: 600 } });
  });

  it('accepts the documented example file (hub.config.example.json) as it stands', () => {
    const example = fileURLToPath(new URL('./hub.config.example.json', import.meta.url));
    expect(loadHubConfig({ HUB_CONFIG: example })).toMatchObject({
      host: '0.0.0.0',
      port: 8787,
      dataDir: '/var/lib/clinic-hub',
      settings: { accessTokenTtlSeconds: 900, loginAttemptsPerMinute: 10 },
    });
  });

  it('stops with a message naming the bad setting', () => {
    expect(() => loadHubConfig({ HUB_PORT: 'eighty' })).toThrow(/port/);
    expect(() => loadHubConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl/);
    expect(() => loadHubConfig({ HUB_TLS_CERT: '/tmp/cert.pem' })).toThrow(/HUB_TLS_KEY/);
  });
});
