/**
 * System dependencies of the integration and E2E suites (Chromium, socat, dciodvfy, xmllint, PostgreSQL).
 *
 * Outside CI a suite whose dependency is missing reports itself skipped, with the one-line install
 * hint. With CI=true a missing dependency is a failure, never a skip: `requireSystemDependency`
 * throws, so the suite fails loudly instead of passing by skipping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export interface SystemDependency {
  name: string;
  installHint: string;
  available: () => boolean;
}

const onPath = (command: string) => () => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Debian's Orthanc (a real PACS) and its DICOMweb plugin (STOW-RS), package orthanc-dicomweb. */
export const ORTHANC_PATH = process.env.ORTHANC_PATH ?? '/usr/sbin/Orthanc';
export const ORTHANC_DICOMWEB_PLUGIN = process.env.ORTHANC_DICOMWEB_PLUGIN ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export const systemDependencies = {
  chromium: {
    name: 'Chromium',
    installHint: 'apt-get install -y chromium',
    available: () => existsSync(CHROMIUM_PATH),
  },
  socat: { name: 'socat', installHint: 'apt-get install -y socat', available: onPath('socat') },
  /** Makes the throwaway certificate of the hub's TLS test. */
  openssl: { name: 'openssl', installHint: 'apt-get install -y openssl', available: onPath('openssl') },
  dciodvfy: { name: 'dciodvfy', installHint: 'apt-get install -y dicom3tools', available: onPath('dciodvfy') },
  /** Validates every HL7 aECG file we write against the HL7 schema. */
  xmllint: { name: 'xmllint', installHint: 'apt-get install -y libxml2-utils', available: onPath('xmllint') },
  orthanc: {
    name: 'Orthanc with its DICOMweb plugin',
    installHint: 'apt-get install -y orthanc orthanc-dicomweb',
    available: () => existsSync(ORTHANC_PATH) && existsSync(ORTHANC_DICOMWEB_PLUGIN),
  },
  postgres: {
    name: 'PostgreSQL on 127.0.0.1:5432',
    installHint: 'apt-get install -y postgresql && pg_ctlcluster 15 main start (or set TEST_DATABASE_URL)',
    available: () => postgresReachable,
  },
} satisfies Record<string, SystemDependency>;

export type SystemDependencyName = keyof typeof systemDependencies;

/** Probed once at import: synchronous checks are not possible for a TCP port. */
let postgresReachable = false;
export const postgresProbe: Promise<boolean> = new Promise((resolve) => {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const socket = net.connect({ host: url.hostname, port: Number(url.port || 5432) });
  const done = (ok: boolean) => {
    socket.destroy();
    postgresReachable = ok;
    resolve(ok);
  };
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
  socket.setTimeout(1000, () => done(false));
});

export const isCI = () => process.env.CI === 'true' || process.env.CI === '1';

/**
 * Returns true when the suite can run. Outside CI, prints the skip reason and returns false (use with
 * `describe.runIf`). In CI, throws: a missing dependency is a failure.
 */
export function requireSystemDependency(name: SystemDependencyName): boolean {
  const dep = systemDependencies[name];
  if (dep.available()) return true;
  const message = `${dep.name} is not installed: ${dep.installHint}`;
  if (isCI()) throw new Error(`CI=true and a test dependency is missing. ${message}`);
  console.warn(`[skipped] ${message}`);
  return false;
}
