/**
 * HTTPS: with a certificate and key the hub serves TLS only. Configured the way `npm run hub` is:
 * HUB_TLS_CERT / HUB_TLS_KEY naming PEM files (loadHubConfig reads them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyPgliteTemplate } from '../../support/pglite-template.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { loadHubConfig } from '../../../sync/hub/config.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';

describe.runIf(requireSystemDependency('openssl'))('hub over TLS', () => {
  let dir: string;
  let hub: StartedHub;
  let cert: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'));
    const config = loadHubConfig({ HUB_TLS_CERT: join(dir, 'cert.pem'), HUB_TLS_KEY: join(dir, 'key.pem'), HUB_PORT: '0', HUB_LOG_LEVEL: 'silent', HUB_DATA_DIR: join(dir, 'data') });
    await copyPgliteTemplate(join(dir, 'data'));
    hub = await startHub(config);
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz over https with the configured certificate', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      https.get(`${hub.url}/healthz`, { ca: cert }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ ok: true, database: 'pglite' });
  });

  it('does not answer plain http on the same port', async () => {
    await expect(fetch(hub.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
  });
});
