/**
 * A real Orthanc PACS (Debian packages orthanc + orthanc-dicomweb) started for a test: its own temp
 * storage, HTTP on a free local port (or a given one), DICOMweb at /dicom-web/, HTTP Basic auth, no
 * DICOM listener. Stopped with SIGTERM and its folder removed on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORTHANC_DICOMWEB_PLUGIN, ORTHANC_PATH } from '../../../support/system-deps.ts';

export interface RunningOrthanc {
  url: string;
  /** The STOW-RS endpoint. */
  stowUrl: string;
  username: string;
  password: string;
  /** GET on Orthanc's REST API, parsed JSON. */
  api<T = unknown>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** The hub's account on the test archive (HTTP Basic). */
export const ORTHANC_TEST_PASSWORD = 'orthanc-test-password';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startOrthanc(options: { port?: number } = {}): Promise<RunningOrthanc> {
  const dir = await mkdtemp(join(tmpdir(), 'orthanc-'));
  const port = options.port ?? (await freePort());
  const username = 'hub';
  const password = ORTHANC_TEST_PASSWORD;
  const config = {
    Name: 'clinic-workstation-test',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'storage'),
    HttpPort: port,
    RemoteAccessAllowed: false,
    DicomServerEnabled: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [username]: password },
    Plugins: [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  const configFile = join(dir, 'orthanc.json');
  await writeFile(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn(ORTHANC_PATH, [configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization } });
    if (!response.ok) throw new Error(`Orthanc GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`Orthanc exited at start (${child.exitCode}): ${stderr}`);
    }
    try {
      await api('/system');
      break;
    } catch {
      if (Date.now() > deadline) {
        await close();
        throw new Error(`Orthanc did not answer on ${url} within 20 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, stowUrl: `${url}/dicom-web/studies`, username, password, api, close };
}
