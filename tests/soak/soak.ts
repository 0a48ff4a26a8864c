/**
 * "A county day under faults" (issue 17): the county hub on PostgreSQL (a fresh database per run;
 * `hubs` processes on it), N township clinics × M workstations as Node processes on the real sync
 * code (workstation.ts), the county ECG centre reading and signing, and the county hospital's LIS
 * posting FHIR results, replaying a compressed clinic day chosen by a seeded random source, while
 * every site's link goes through a fault proxy (fault-proxy.ts), the hub is restarted (and once
 * killed with SIGKILL), every hub connection to PostgreSQL is terminated once, and one workstation
 * is killed mid-sync and restarted from its stored database. Then it checks that nothing was lost
 * (verify.ts) and reports the figures.
 *
 * PostgreSQL itself is not restarted: the server is shared with other work on the machine. Its
 * restart is simulated by `pg_terminate_backend` on every connection the hubs hold, which is what
 * the hubs see of a restart (their pooled connections die; new ones succeed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makeChineseName, makePatient, makeResidentIdNumber, makeVisit } from '../../core/records/builders.ts';
import { type CollectionName, type EcgReport, type Patient, type Visit } from '../../core/records/index.ts';
import { DEMO_PASSWORD } from '../../sync/hub/demo-seed.ts';
import { makeFhirDiagnosticReport } from '../support/fhir.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { SoakFaultProxy, type ConnectionFault } from './fault-proxy.ts';
import { freePort, HubProcess } from './hub-process.ts';
import type { WorkstationEvent, WorkstationStats } from './protocol.ts';
import { mulberry32, type Random } from '../support/random.ts';
import { verify, type Ledger, type LedgerRecord, type Verdict } from './verify.ts';
import { WorkstationDownError, WorkstationHandle } from './workstation-handle.ts';

export interface SoakOptions {
  clinics: number;
  /** Per clinic, at least 2: the registration desk (nurse) and doctors' PCs. */
  workstations: number;
  /** Real duration of the day phase. */
  minutes: number;
  seed: number;
  /** Hub processes on the one database. 2 needs the lead's LISTEN/NOTIFY to be live across them. */
  hubs: number;
  /** Patients arriving per clinic over the day (default scales with the duration). */
  patientsPerClinic?: number;
  /** Administrative PostgreSQL URL; the run creates (and drops) its own database there. */
  adminDatabaseUrl?: string;
  keepDatabase?: boolean;
  /** false: the same day with healthy links and no incidents (a baseline for the latencies). */
  faults?: boolean;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

export interface Series {
  t: number;
  hubRssMiB: number;
  hubOpenFds: number;
  hubCpuPct: number;
  hubRecords: number;
  /** pg_database_size of the run's database: its growth per record over the day. */
  databaseBytes: number;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'log'>;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string; loadAverageAtEnd: number[] };
  durationSeconds: number;
  faults: { total: number; byKind: Record<string, number>; perSite: Record<string, Record<string, number>> };
  work: Record<string, number>;
  verdict: Verdict;
  latencies: Record<string, { count: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null }>;
  /** The latency samples themselves (ms, at most 5000 each), for the distribution charts. */
  samples: Record<string, number[]>;
  hub: { cpuSecondsTotal: number; cpuPctMean: number; rssMiBPeak: number; rssMiBEnd: number; openFdsPeak: number; openFdsEnd: number; starts: number; unexpectedExits: number };
  series: Series[];
  postgres: { records: number; tables: { name: string; tableBytes: number; indexBytes: number; bytesPer10kRecords: number }[]; totalBytesPer10kRecords: number };
  clinicStore: { records: number; bytes: number; bytesPer10kRecords: number }[];
  conflicts: number;
}

const percentiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null);
  return { count: sorted.length, p50Ms: at(50), p95Ms: at(95), maxMs: sorted.length ? sorted.at(-1)! : null };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chinaDate = (d = new Date()) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

interface Clinic {
  id: string;
  name: string;
  proxy: SoakFaultProxy;
  proxyUrl: string;
  desk: WorkstationHandle;
  doctors: WorkstationHandle[];
  doctorUserId: string;
  sessions: Map<WorkstationHandle, { ws: { workstationId: string; workstationCredential: string }; username: string }>;
}

interface Person {
  key: number;
  idNumber: string;
  name: string;
  birthDate: string;
  male: boolean;
  /** Posted by the county hospital before the day: a recognizable lipid panel. */
  priorResult: boolean;
}

/** The patient a card read gives at `clinic`: the person's identity, nothing typed by hand. */
const cardPatient = (clinic: Clinic, person: Person): Patient =>
  makePatient({ institutionId: clinic.id, name: person.name, sex: person.male ? '1' : '2', birthDate: person.birthDate, idNumber: person.idNumber, address: '', phone: '' });

/** Today's visit for a patient who has just been registered, waiting at a random queue number. */
const arrivalVisit = (clinic: Clinic, patient: Patient, r: Random, id: string = crypto.randomUUID()): Visit =>
  makeVisit({ id, institutionId: clinic.id, patientId: patient.id, visitDate: chinaDate(), queueNumber: 1 + Math.floor(r() * 999) });

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  if (options.workstations < 2) throw new Error('--workstations must be at least 2 (the registration desk and a doctor)');
  const started = Date.now();
  const rng = mulberry32(options.seed);
  const dayMs = options.minutes * 60_000;
  const patientsPerClinic = options.patientsPerClinic ?? Math.max(6, Math.round(2 * options.minutes));
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const adminUrl = options.adminDatabaseUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `soak_${Date.now().toString(36)}_${Math.floor(rng() * 1e6)}`;
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const postgresVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  await admin.end();
  const live = { hubs: [] as HubProcess[], workstations: [] as WorkstationHandle[], proxies: [] as SoakFaultProxy[], clients: [] as pg.Client[] };
  try {
    log(`database ${dbName}; run folder ${runDir}`);

    const hubConfig = path.join(runDir, 'hub.config.json');
    // Tokens live an hour (the hub's maximum); the runner signs every PC in again well before that.
    // Every site enrols and signs in from 127.0.0.1 here (a county has one address per PC), so the
    // per-address limit on enrolment and sign-in is raised; wrong-password lockout stays as it is.
    writeFileSync(hubConfig, JSON.stringify({ settings: { accessTokenTtlSeconds: 3600, loginAttemptsPerMinute: 1000 } }));
    const hubs = live.hubs;
    for (let i = 0; i < options.hubs; i++) {
      hubs.push(new HubProcess(`hub-${i + 1}`, await freePort(), { DATABASE_URL: databaseUrl, HUB_DEMO: '1', HUB_LOG_LEVEL: 'warn', HUB_CONFIG: hubConfig }, path.join(runDir, `hub-${i + 1}.log`)));
    }
    // One after the other: the first applies the migrations and seeds the demo community.
    for (const hub of hubs) await hub.start();
    const hubUrl = hubs[0]!.url;
    const hubPorts = () => hubs.map((h) => h.port);
    const sampler = new pg.Client({ connectionString: databaseUrl });
    live.clients.push(sampler);
    await sampler.connect();
    sampler.on('error', () => {});

    // --- Faults: a per-connection fault drawn from the seeded source while the day runs.
    let faultsOn = false;
    const faultRate = 0.25;
    const pickFault = (): ConnectionFault => {
      if (!faultsOn || rng() > faultRate) return { kind: 'none' };
      const r = rng();
      if (r < 0.35) return { kind: 'delay', ms: 100 + Math.floor(rng() * 1500) };
      if (r < 0.6) return { kind: 'duplicate' };
      if (r < 0.8) return { kind: 'cut-response', afterBytes: 10 + Math.floor(rng() * 2000) };
      return { kind: 'cut-request', afterBytes: 50 + Math.floor(rng() * 1500) };
    };
    const newProxy = async (name: string) => {
      const proxy = new SoakFaultProxy(name, hubPorts, pickFault);
      live.proxies.push(proxy);
      return { proxy, url: await proxy.listen() };
    };

    // --- The community: N clinics (institutions created in the run's own database: the hub has no
    // API for new institutions), their nurse and doctor, M enrolled PCs each.
    const countyAdmin = await login(hubUrl, demoWorkstation('ws-demo-county'), 'admin');
    const ledger: Ledger = { records: new Map(), persons: new Map(), expectedFields: new Map(), studies: new Map(), reports: new Map() };
    const seen = new Map<string, Map<string, number>>(); // `${collection}/${id}` → ws name → first arrival
    const seenReceivedAtCenter = new Map<string, number>();
    const signedSeen = new Map<string, Map<string, number>>();
    const acked = new Map<string, number>();
    const readingsStarted = new Set<string>();
    const journeys: Promise<void>[] = [];
    const work: Record<string, number> = {
      patientsRegistered: 0,
      sameMorningTwoClinics: 0,
      visits: 0,
      visitsClosed: 0,
      visitsNotYetAtDoctor: 0,
      concurrentEdits: 0,
      orders: 0,
      recognized: 0,
      refused: 0,
      ordersWithoutPriorResult: 0,
      ecgUrgent: 0,
      ecgRoutine: 0,
      reportsSigned: 0,
      criticalReports: 0,
      fhirResultsPosted: 0,
      commandsLostToKill: 0,
      documentsRestoredAfterKill: 0,
    };

    const isCenter = (ws: WorkstationHandle) => ws.options.role === 'ecg-center';
    const onEvent = (ws: WorkstationHandle, event: WorkstationEvent) => {
      if (event.ev === 'seen') {
        const key = `${event.c}/${event.id}`;
        let at = seen.get(key);
        if (!at) seen.set(key, (at = new Map()));
        if (!at.has(ws.name)) at.set(ws.name, event.at);
        if (event.c === 'ecgStudies' && isCenter(ws) && event.rs && ['received', 'being-read', 'reported'].includes(event.rs)) {
          if (!seenReceivedAtCenter.has(event.id)) seenReceivedAtCenter.set(event.id, event.at);
          scheduleReading(event.id);
        }
        if (event.c === 'ecgReports' && event.signed && !isCenter(ws)) {
          let m = signedSeen.get(event.id);
          if (!m) signedSeen.set(event.id, (m = new Map()));
          if (!m.has(ws.name)) m.set(ws.name, event.at);
        }
      } else if (event.ev === 'acked') {
        if (!acked.has(event.id)) acked.set(event.id, event.at);
      }
    };

    const clinics: Clinic[] = [];
    const tokens = new Map<WorkstationHandle, () => Promise<string>>();
    const institutions: { id: string; name: string }[] = Array.from({ length: options.clinics }, (_, i) => ({ id: `clinic-${String(i + 1).padStart(2, '0')}`, name: `第${i + 1}乡镇卫生院` }));
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    for (const inst of institutions) await setup.query(`insert into institutions (id, kind, name) values ($1, 'township_clinic', $2) on conflict do nothing`, [inst.id, inst.name]);
    await setup.end();
    for (const inst of institutions) {
      for (const role of ['nurse', 'doctor'] as const) {
        const created = await call(hubUrl, 'POST', '/admin/users', { token: countyAdmin.accessToken, body: { username: role, displayName: `${inst.name}${role}`, role, password: DEMO_PASSWORD, institutionId: inst.id } });
        if (created.status !== 201) throw new Error(`creating ${role} at ${inst.id}: ${created.status} ${JSON.stringify(created.body)}`);
      }
    }
    const signIn = async (ws: { workstationId: string; workstationCredential: string }, username: string): Promise<Session> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await login(hubUrl, ws, username);
        } catch (e) {
          if (attempt > 20) throw e;
          await sleep(1000); // the hub restarting
        }
      }
    };

    for (const inst of institutions) {
      const { proxy, url } = await newProxy(inst.id);
      const handles: WorkstationHandle[] = [];
      const sessions = new Map<WorkstationHandle, { ws: { workstationId: string; workstationCredential: string }; username: string }>();
      let doctorUserId = '';
      for (let w = 0; w < options.workstations; w++) {
        const username = w === 0 ? 'nurse' : 'doctor';
        const ws = await enrolWorkstation(hubUrl, countyAdmin, inst.id as never);
        const session = await signIn(ws, username);
        if (username === 'doctor') doctorUserId = session.userId;
        const dir = path.join(runDir, inst.id, `ws-${w + 1}`);
        mkdirSync(dir, { recursive: true });
        const handle = new WorkstationHandle(
          { name: `${inst.id}/ws-${w + 1}`, dir, hubUrl: url, token: session.accessToken, institutionId: inst.id, role: 'clinic', acknowledgesCritical: w === 1 },
          onEvent,
          path.join(runDir, 'workstations.log'),
        );
        sessions.set(handle, { ws, username });
        tokens.set(handle, async () => (await signIn(ws, username)).accessToken);
        handles.push(handle);
        live.workstations.push(handle);
      }
      clinics.push({ id: inst.id, name: inst.name, proxy, proxyUrl: url, desk: handles[0]!, doctors: handles.slice(1), doctorUserId, sessions });
    }
    // The county ECG centre: a cardiologist's PC (the reading room keeps its data like a workstation).
    const centerLink = await newProxy('ecg-center');
    const centerWs = await enrolWorkstation(hubUrl, countyAdmin, 'ecg-center');
    const cardiologist = await signIn(centerWs, 'cardiologist');
    mkdirSync(path.join(runDir, 'ecg-center'), { recursive: true });
    const center = new WorkstationHandle(
      { name: 'ecg-center/ws-1', dir: path.join(runDir, 'ecg-center'), hubUrl: centerLink.url, token: cardiologist.accessToken, institutionId: 'ecg-center', role: 'ecg-center', acknowledgesCritical: false },
      onEvent,
    );
    live.workstations.push(center);
    tokens.set(center, async () => (await signIn(centerWs, 'cardiologist')).accessToken);
    // The county hospital's LIS posts results as FHIR through its own faulty link.
    const lisLink = await newProxy('county-hospital-lis');
    const lisSession = await signIn(demoWorkstation('ws-demo-county'), 'doctor');
    const proxies = [...clinics.map((c) => c.proxy), centerLink.proxy, lisLink.proxy];
    const allWorkstations = [...clinics.flatMap((c) => [c.desk, ...c.doctors]), center];

    log(`starting ${allWorkstations.length} workstation processes`);
    // Two at a time: each start loads tsx and RxDB (seconds of CPU on a shared 2-core machine).
    for (let i = 0; i < allWorkstations.length; i += 2) await Promise.all(allWorkstations.slice(i, i + 2).map((ws) => ws.start()));

    // --- Long-run health: hub memory, handles and CPU; the store's size.
    const series: Series[] = [];
    let lastCpu = { at: Date.now(), seconds: 0 };
    let hubRecords = 0;
    let databaseBytes = 0;
    const sampleHealth = async () => {
      const samples = hubs.map((h) => h.sample());
      const cpuSeconds = hubs.reduce((s, h) => s + h.totalCpuSeconds, 0);
      const now = Date.now();
      try {
        const { rows } = await sampler.query<{ n: string; bytes: string }>('select (select count(*) from records) as n, pg_database_size(current_database()) as bytes');
        hubRecords = Number(rows[0]!.n);
        databaseBytes = Number(rows[0]!.bytes);
      } catch {
        /* terminated on purpose, or PostgreSQL busy: keep the last count */
      }
      series.push({
        t: Math.round((now - started) / 1000),
        hubRssMiB: samples.reduce((s, x) => s + (x?.rssBytes ?? 0), 0) / 2 ** 20,
        hubOpenFds: samples.reduce((s, x) => s + (x?.openFds ?? 0), 0),
        // The first sample only sets the baseline (the hub's start-up CPU is not the day's).
      hubCpuPct: series.length > 0 && now > lastCpu.at ? (100 * (cpuSeconds - lastCpu.seconds)) / ((now - lastCpu.at) / 1000) : 0,
        hubRecords,
        databaseBytes,
      });
      lastCpu = { at: now, seconds: cpuSeconds };
    };
    const sampleEvery = Math.max(2000, Math.min(30_000, dayMs / 60));
    let sampling = true;
    const samplerLoop = (async () => {
      while (sampling) {
        await sampleHealth();
        for (const hub of hubs) {
          if (await hub.ensureRunning().catch(() => false)) log(`${hub.name} had exited on its own; restarted`);
        }
        await sleep(sampleEvery);
      }
    })();

    // Every PC signs in again before its token expires (tokens last an hour here).
    const refreshTokens = async () => {
      for (const [ws, fresh] of tokens) if (ws.alive) await ws.call({ op: 'token', token: await fresh() }).catch(() => undefined);
    };
    const tokenTimer = setInterval(() => void refreshTokens(), 40 * 60_000);

    // --- Ledger helpers.
    const remember = (record: LedgerRecord) => ledger.records.set(`${record.collection}/${record.id}`, record);
    const expectField = (collection: CollectionName, id: string, field: string, value: unknown) => {
      const key = `${collection}/${id}`;
      let fields = ledger.expectedFields.get(key);
      if (!fields) ledger.expectedFields.set(key, (fields = {}));
      fields[field] = value;
    };
    /** A command whose answer never came because the PC was killed: what it wrote may or may not be stored. */
    const lost = (e: unknown) => {
      if (e instanceof WorkstationDownError) {
        work.commandsLostToKill!++;
        return true;
      }
      return false;
    };
    const waitSeen = async (collection: CollectionName, id: string, ws: WorkstationHandle, ms: number) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (seen.get(`${collection}/${id}`)?.has(ws.name)) return true;
        await sleep(100);
      }
      return false;
    };
    const alive = async (ws: WorkstationHandle) => {
      while (!ws.alive) await sleep(200);
      await ws.ready;
    };

    // --- The people of the county.
    const persons: Person[] = [];
    const newPerson = (priorResult: boolean): Person => {
      const key = persons.length;
      const n = Math.floor(rng() * 1e6);
      const birthDate = `${1940 + Math.floor(rng() * 60)}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;
      const male = rng() < 0.5;
      // The sequence digits step by 2 per person (the last one is the sex digit): two people never share a number.
      const person: Person = { key, idNumber: makeResidentIdNumber(birthDate, (2 * key) % 1000, male), name: makeChineseName(n), birthDate, male, priorResult };
      persons.push(person);
      return person;
    };

    // --- The county hospital's LIS: results from last week for a third of the people who will come.
    const postFhir = async (person: Person) => {
      const report = makeFhirDiagnosticReport({ id: `lis-${options.seed}-${person.key}`, idNumber: person.idNumber, itemCode: 'LAB-LIPID', effectiveDateTime: new Date(Date.now() - 3 * 86_400_000).toISOString() });
      for (let wait = 200; ; wait = Math.min(3000, wait * 2)) {
        try {
          const reply = await fetch(`${lisLink.url}/fhir/r4/DiagnosticReport`, {
            method: 'POST',
            headers: { authorization: `Bearer ${lisSession.accessToken}`, 'content-type': 'application/fhir+json' },
            body: JSON.stringify(report),
            signal: AbortSignal.timeout(20_000),
          });
          if (reply.status === 201) {
            const body = (await reply.json()) as { stored: { resultId: string }[] };
            for (const s of body.stored) remember({ collection: 'results', id: s.resultId, site: 'county-hospital', person: person.key, certain: true });
            work.fhirResultsPosted!++;
            return;
          }
          await reply.arrayBuffer();
          if (reply.status >= 400 && reply.status < 500 && reply.status !== 401 && reply.status !== 429) throw new Error(`FHIR post refused: ${reply.status}`);
        } catch (e) {
          if (e instanceof Error && e.message.startsWith('FHIR post refused')) throw e;
        }
        await sleep(wait);
      }
    };

    // --- The ECG centre reads what reaches its worklist.
    const scheduleReading = (studyId: string) => {
      if (readingsStarted.has(studyId)) return;
      const study = ledger.studies.get(studyId);
      if (!study) return; // not one of this run's (cannot happen) or not yet answered by the clinic
      readingsStarted.add(studyId);
      const critical = study.priority === 'urgent' && rng() < 0.5;
      const readAfter = (study.priority === 'urgent' ? 0.01 : 0.04) * dayMs * rng();
      const reportId = crypto.randomUUID();
      journeys.push(
        (async () => {
          await sleep(readAfter);
          await alive(center);
          const report: EcgReport = {
            id: reportId,
            institutionId: 'ecg-center',
            updatedAt: new Date().toISOString(),
            studyId,
            patientId: study.patientId,
            statements: critical ? [{ code: 'STEMI', text: '急性前壁 ST 段抬高型心肌梗死' }] : [{ code: 'SR', text: '窦性心律' }],
            freeText: '',
            critical,
            signedBy: cardiologist.userId,
            signedAt: null,
          };
          const outcome = await center.call<{ hashOk: boolean; signedAt: string | null; alreadyReported: boolean; claimRefusedAsReported?: boolean }>({ op: 'read', studyId, sha256: study.sha256, report: report as never });
          study.hashVerifiedByCenter = outcome.hashOk;
          if (outcome.claimRefusedAsReported) return; // read before, by an earlier attempt of this reading
          // A signature whose answer was lost is retried and answered 409 ecg-study-reported: the hub
          // took this very report (same id) the first time, when the hub's time of it is not known here.
          ledger.reports.set(reportId, { id: reportId, studyId, clinic: study.clinic, critical, signedAt: outcome.signedAt ? Date.parse(outcome.signedAt) : Number.NaN });
          remember({ collection: 'ecgReports', id: reportId, site: 'ecg-center', person: study.person, certain: true });
          work.reportsSigned!++;
          if (critical) work.criticalReports!++;
          if (outcome.alreadyReported) study.signatureAnswerLost = true;
        })().catch((e: unknown) => {
          readingsStarted.delete(studyId); // read again when the study shows next (e.g. after a centre restart)
          // Its signature may have reached the hub before the failure.
          if (!ledger.records.has(`ecgReports/${reportId}`)) remember({ collection: 'ecgReports', id: reportId, site: 'ecg-center', person: study.person, certain: false });
          if (!lost(e)) log(`reading ${studyId} failed: ${(e as Error).message}`);
        }),
      );
    };

    // --- A patient's morning: registration by card, the doctor, orders, perhaps an ECG, closing.
    const itemsWithoutPrior = ['LAB-CBC', 'LAB-FBG', 'LAB-URINE', 'LAB-RFT'];
    /** `first`: the clinic's first patient of the day has chest pain — every day has an urgent ECG and a concurrent edit. */
    const journey = async (clinic: Clinic, person: Person, r: Random, first = false) => {
      const desk = clinic.desk;
      await alive(desk);
      const card = cardPatient(clinic, person);
      const visitId = crypto.randomUUID();
      const visit = arrivalVisit(clinic, card, r, visitId);
      let registered: { savedAt: number; patientId: string; created: boolean; visitId: string };
      try {
        registered = await desk.call({ op: 'register', patient: card as never, visit: visit as never });
      } catch (e) {
        if (lost(e)) {
          remember({ collection: 'patients', id: card.id, site: clinic.id, person: person.key, certain: false, by: desk.name });
          remember({ collection: 'visits', id: visitId, site: clinic.id, person: person.key, certain: false, by: desk.name });
          return;
        }
        throw e;
      }
      const patientId = registered.patientId;
      if (registered.created) {
        remember({ collection: 'patients', id: patientId, site: clinic.id, person: person.key, certain: true, by: desk.name, savedAt: registered.savedAt });
        work.patientsRegistered!++;
      }
      remember({ collection: 'visits', id: visitId, site: clinic.id, person: person.key, certain: true, by: desk.name, savedAt: registered.savedAt });
      work.visits!++;
      ledger.persons.set(person.key, new Set([...(ledger.persons.get(person.key) ?? []), clinic.id]));

      // The doctor calls the patient once the visit shows in their queue.
      const doctor = clinic.doctors[Math.floor(r() * clinic.doctors.length)]!;
      await sleep(0.01 * dayMs * r());
      await alive(doctor);
      // The patient waits in the queue through the day (and a minute after the links heal): a visit the
      // doctor's PC never shows by then is counted, not failed (the checks at the end find any loss).
      if (!(await waitSeen('visits', visitId, doctor, Math.max(40_000, dayStart + dayMs + 60_000 - Date.now())))) {
        work.visitsNotYetAtDoctor!++;
        return;
      }
      const edit = async (ws: WorkstationHandle, collection: CollectionName, id: string, patch: Record<string, unknown>) => {
        await alive(ws);
        try {
          await ws.call({ op: 'edit', collection, id, patch });
          for (const [field, value] of Object.entries(patch)) expectField(collection, id, field, value);
          return true;
        } catch (e) {
          if (lost(e)) return false;
          throw e;
        }
      };
      if (!(await edit(doctor, 'visits', visitId, { status: 'in-consultation', doctorId: clinic.doctorUserId, complaint: '头晕三天' }))) return;

      // At the same moment the desk corrects the phone and the doctor the address: both edits must survive.
      if ((r() < 0.3 || first) && (await waitSeen('patients', patientId, doctor, 30_000))) {
        work.concurrentEdits!++;
        const phone = `138${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
        const address = `某县某镇${1 + Math.floor(r() * 200)}号`;
        await Promise.all([edit(desk, 'patients', patientId, { phone }), edit(doctor, 'patients', patientId, { address })]);
      }

      const orders = Math.floor(r() * 3);
      for (let o = 0; o < orders; o++) {
        const itemCode = o === 0 && person.priorResult ? 'LAB-LIPID' : itemsWithoutPrior[Math.floor(r() * itemsWithoutPrior.length)]!;
        const orderId = crypto.randomUUID();
        await alive(doctor);
        try {
          const outcome = await doctor.call<{ savedAt: number; decision: string; eventIds: string[] }>({
            op: 'order',
            patientId,
            visitId,
            orderId,
            itemCode,
            doctorId: clinic.doctorUserId,
            recognize: r() < 0.7,
          });
          remember({ collection: 'orders', id: orderId, site: clinic.id, person: person.key, certain: true, by: doctor.name, savedAt: outcome.savedAt });
          for (const id of outcome.eventIds) remember({ collection: 'recognitionEvents', id, site: clinic.id, person: person.key, certain: true, by: doctor.name, savedAt: outcome.savedAt });
          work.orders!++;
          if (outcome.decision === 'recognized') work.recognized!++;
          else if (outcome.decision === 'refused') work.refused!++;
          else if (itemCode === 'LAB-LIPID') work.ordersWithoutPriorResult!++;
        } catch (e) {
          if (!lost(e)) throw e;
          remember({ collection: 'orders', id: orderId, site: clinic.id, person: person.key, certain: false, by: doctor.name });
        }
      }

      if (r() < 0.35 || first) {
        const urgent = r() < 0.3 || first;
        const studyId = crypto.randomUUID();
        await alive(doctor);
        try {
          const made = await doctor.call<{ savedAt: number; sha256: string; size: number }>({
            op: 'ecg',
            seed: 1 + Math.floor(r() * 1e6),
            study: {
              id: studyId,
              institutionId: clinic.id,
              updatedAt: new Date().toISOString(),
              visitId,
              patientId,
              capturedAt: new Date().toISOString(),
              priority: urgent ? 'urgent' : 'routine',
              clinicalNote: urgent ? '胸痛 30 分钟' : '',
              measurements: { heartRate: 72, prMs: 160, qrsMs: 92, qtMs: 380, qtcMs: 415, qrsAxisDeg: 45 },
            },
          });
          remember({ collection: 'ecgStudies', id: studyId, site: clinic.id, person: person.key, certain: true, by: doctor.name, savedAt: made.savedAt });
          ledger.studies.set(studyId, { id: studyId, clinic: clinic.id, person: person.key, patientId, priority: urgent ? 'urgent' : 'routine', sha256: made.sha256, size: made.size, savedAt: made.savedAt });
          work[urgent ? 'ecgUrgent' : 'ecgRoutine']!++;
          if (seenReceivedAtCenter.has(studyId)) scheduleReading(studyId);
        } catch (e) {
          if (!lost(e)) throw e;
          remember({ collection: 'ecgStudies', id: studyId, site: clinic.id, person: person.key, certain: false, by: doctor.name });
        }
      }

      await sleep(0.01 * dayMs * r());
      if (await edit(doctor, 'visits', visitId, { status: 'closed', closedAt: new Date().toISOString(), diagnoses: [{ code: 'I10', name: '原发性高血压' }] })) work.visitsClosed!++;
    };

    // --- The day's plan, drawn before it starts.
    const plan: { at: number; clinic: Clinic; person: Person; seed: number; first?: boolean }[] = [];
    for (const clinic of clinics) {
      for (let p = 0; p < patientsPerClinic; p++) {
        const person = newPerson(rng() < 0.35);
        // Arrivals crowd the morning, as they do: the square of a uniform draw.
        const at = 0.85 * dayMs * rng() ** 1.5;
        plan.push({ at, clinic, person, seed: Math.floor(rng() * 2 ** 31) });
        // The same person at a second clinic the same morning (a morning visit and a referral, or two family members' cards mixed up).
        if (clinics.length > 1 && rng() < 0.1) {
          const other = clinics.filter((c) => c !== clinic)[Math.floor(rng() * (clinics.length - 1))]!;
          plan.push({ at: Math.min(0.45 * dayMs, at + 0.05 * dayMs * rng()), clinic: other, person, seed: Math.floor(rng() * 2 ** 31) });
          work.sameMorningTwoClinics!++;
        }
      }
    }
    plan.sort((a, b) => a.at - b.at);
    for (const clinic of clinics) {
      const first = plan.find((p) => p.clinic === clinic);
      if (first) first.first = true;
    }
    const priors = persons.filter((p) => p.priorResult);

    // --- Hub and machine faults at fixed points of the day.
    const incidents: Record<string, number> = { hubRestarts: 0, hubKills: 0, postgresConnectionsTerminated: 0, postgresTerminations: 0, workstationKills: 0 };
    let pendingAtKill = -1;
    const events: { at: number; what: string; run: () => Promise<void> }[] = [
      {
        at: 0.25,
        what: 'hub restart (SIGTERM, then start)',
        run: async () => {
          for (const hub of hubs) {
            await hub.stop('SIGTERM');
            await sleep(1500);
            await hub.start();
            incidents.hubRestarts!++;
          }
        },
      },
      {
        at: 0.45,
        what: 'PostgreSQL restart, simulated: pg_terminate_backend on every hub connection',
        run: async () => {
          const terminator = new pg.Client({ connectionString: adminUrl });
          await terminator.connect();
          const { rows } = await terminator.query<{ ok: boolean }>(
            'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and pid <> $2',
            [dbName, (sampler as unknown as { processID: number }).processID ?? 0],
          );
          await terminator.end();
          incidents.postgresTerminations!++;
          incidents.postgresConnectionsTerminated! += rows.filter((r) => r.ok).length;
        },
      },
      {
        at: 0.6,
        what: 'hub killed (SIGKILL), restarted 3 s later',
        run: async () => {
          const hub = hubs[0]!;
          await hub.stop('SIGKILL');
          incidents.hubKills!++;
          await sleep(3000);
          await hub.start();
        },
      },
      {
        at: 0.7,
        what: 'a workstation killed mid-sync (SIGKILL), restarted from its stored database',
        run: async () => {
          // The registration desk of the first clinic saves a burst of walk-ins; while its replication
          // pushes them the PC loses power.
          const clinic = clinics[0]!;
          const ws = clinic.desk;
          await alive(ws);
          const burst = Array.from({ length: 20 }, () => newPerson(false));
          await Promise.all(
            burst.map(async (person) => {
              const r = mulberry32(person.key + 7);
              await journeyRegistrationOnly(clinic, person, r);
            }),
          );
          const stats = await ws.call<WorkstationStats>({ op: 'stats' });
          pendingAtKill = stats.pendingChanges;
          await ws.kill();
          incidents.workstationKills!++;
          await sleep(3000);
          await ws.start();
          work.documentsRestoredAfterKill = ws.restoredDocuments;
        },
      },
    ];
    const waitHealthy = async () => {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        const up = await Promise.all(hubs.map((h) => fetch(`${h.url}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)));
        if (up.every(Boolean)) return;
        await sleep(500);
      }
    };
    const journeyRegistrationOnly = async (clinic: Clinic, person: Person, r: Random) => {
      const patient = cardPatient(clinic, person);
      const visit = arrivalVisit(clinic, patient, r);
      const done = await clinic.desk.call<{ savedAt: number; patientId: string; created: boolean }>({ op: 'register', patient: patient as never, visit: visit as never });
      remember({ collection: 'patients', id: done.patientId, site: clinic.id, person: person.key, certain: true, by: clinic.desk.name, savedAt: done.savedAt });
      remember({ collection: 'visits', id: visit.id, site: clinic.id, person: person.key, certain: true, by: clinic.desk.name, savedAt: done.savedAt });
      ledger.persons.set(person.key, new Set([...(ledger.persons.get(person.key) ?? []), clinic.id]));
      work.patientsRegistered!++;
      work.visits!++;
    };

    // --- The day.
    log(`day: ${plan.length} arrivals over ${options.minutes} min at ${clinics.length} clinics; ${priors.length} prior results from the county hospital`);
    const injecting = options.faults !== false;
    faultsOn = injecting;
    const dayStart = Date.now();
    const cutLoops = proxies.map(async (proxy) => {
      const cutRng = mulberry32(options.seed ^ proxy.name.length ^ (proxy.name.charCodeAt(proxy.name.length - 1) << 8));
      while (injecting && Date.now() - dayStart < dayMs) {
        // A cut every ~20 s on average, lasting 0.3–6 s: a township line on a bad day, compressed.
        await sleep(-Math.log(1 - cutRng()) * 20_000);
        if (Date.now() - dayStart >= dayMs) break;
        proxy.cut(300 + cutRng() * 5700);
      }
    });
    await Promise.all(priors.map((p) => postFhir(p)));
    const incidentLoop = (async () => {
      for (const event of injecting ? events : []) {
        const wait = dayStart + event.at * dayMs - Date.now();
        if (wait > 0) await sleep(wait);
        // Each incident meets a running hub: a hub still starting from the last one would make it a no-op.
        for (const hub of hubs) await hub.ensureRunning().catch(() => undefined);
        await waitHealthy();
        log(`${((Date.now() - dayStart) / 60_000).toFixed(1)} min: ${event.what}`);
        await event.run().catch((e: unknown) => log(`incident "${event.what}" failed: ${(e as Error).message}`));
      }
    })();
    const failures: string[] = [];
    for (const arrival of plan) {
      const wait = dayStart + arrival.at - Date.now();
      if (wait > 0) await sleep(wait);
      journeys.push(
        journey(arrival.clinic, arrival.person, mulberry32(arrival.seed), arrival.first).catch((e: unknown) => {
          failures.push((e as Error).message);
          log(`journey failed: ${(e as Error).message}`);
        }),
      );
    }
    await Promise.all([...cutLoops, incidentLoop]);
    const remaining = dayStart + dayMs - Date.now();
    if (remaining > 0) await sleep(remaining);
    faultsOn = false;
    log(`day over after ${((Date.now() - dayStart) / 60_000).toFixed(1)} min; links healed; waiting for the last patients and readings`);

    // --- Evening: links healthy, everything must converge.
    const settleDeadline = Date.now() + Math.max(Number(process.env.SOAK_SETTLE_MS ?? 180_000), dayMs / 3);
    for (;;) {
      const pending = journeys.length;
      await Promise.race([Promise.all(journeys), sleep(5000)]);
      if (journeys.length === pending && (await Promise.race([Promise.all(journeys).then(() => true), sleep(10).then(() => false)]))) break;
      if (Date.now() > settleDeadline) break;
    }
    // Studies the centre has but whose reading never started (a reading lost to a centre fault) are read now.
    for (const id of ledger.studies.keys()) if (seenReceivedAtCenter.has(id)) scheduleReading(id);
    for (;;) {
      const stats = await Promise.all(allWorkstations.map((ws) => ws.call<number>({ op: 'sync' }, 120_000).then(() => ws.call<WorkstationStats>({ op: 'stats' })).catch(() => undefined)));
      const quiet = stats.every((s) => s && s.pendingChanges === 0 && s.pendingUploads === 0 && s.pendingAcks === 0);
      const unread = [...ledger.studies.keys()].filter((id) => !readingsStarted.has(id));
      for (const id of unread) if (seenReceivedAtCenter.has(id)) scheduleReading(id);
      const readingsDone = await Promise.race([Promise.all(journeys).then(() => true), sleep(10).then(() => false)]);
      const reportsHome = [...ledger.reports.values()].every((rep) => clinics.find((c) => c.id === rep.clinic)!.doctors.concat(clinics.find((c) => c.id === rep.clinic)!.desk).every((ws) => signedSeen.get(rep.id)?.has(ws.name)));
      const acksDone = [...ledger.reports.values()].filter((rep) => rep.critical).every((rep) => acked.has(rep.id));
      if (quiet && unread.length === 0 && readingsDone && reportsHome && acksDone) break;
      if (Date.now() > settleDeadline) {
        log(`settling deadline reached (quiet ${quiet}, unread ${unread.length}, readings done ${readingsDone}, reports home ${reportsHome}, acknowledgements ${acksDone}); verifying what there is`);
        for (const [i, s] of stats.entries()) if (s && (s.pendingChanges || s.pendingUploads || s.pendingAcks)) log(`  ${allWorkstations[i]!.name}: ${s.pendingChanges} changes, ${s.pendingUploads} files (${s.lastUploadError ?? 'no error'}), ${s.pendingAcks} acknowledgements pending`);
        break;
      }
      await sleep(2000);
    }
    await Promise.race([Promise.all(journeys), sleep(5000)]);
    await sampleHealth();
    sampling = false;
    clearInterval(tokenTimer);
    await samplerLoop;

    // --- The store's size, before the verification's own reads add audit rows.
    const tables = (
      await sampler.query<{ name: string; table_bytes: string; index_bytes: string }>(
        `select c.relname as name, pg_table_size(c.oid) as table_bytes, pg_indexes_size(c.oid) as index_bytes
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'r' and n.nspname = 'public' order by pg_total_relation_size(c.oid) desc`,
      )
    ).rows;
    const records = Number((await sampler.query<{ n: string }>('select count(*) as n from records')).rows[0]!.n);

    // --- Verify.
    log('verifying');
    const dumps = new Map<string, { docs: Record<string, Record<string, unknown>[]>; needsAttention: unknown[] }>();
    const statsEnd = new Map<string, WorkstationStats>();
    for (const ws of allWorkstations) {
      dumps.set(ws.name, await ws.call({ op: 'dump' }, 120_000));
      statsEnd.set(ws.name, await ws.call<WorkstationStats>({ op: 'stats' }));
    }
    const sessionsNow = new Map<string, string>();
    for (const [ws, fresh] of tokens) sessionsNow.set(ws.name, await fresh());
    const verdict = await verify({
      ledger,
      db: sampler,
      hubUrl,
      centerToken: sessionsNow.get(center.name)!,
      workstations: allWorkstations.map((ws) => ({ name: ws.name, institutionId: ws.options.institutionId, token: sessionsNow.get(ws.name)!, dump: dumps.get(ws.name)!, isCenter: ws === center })),
      acknowledged: async () => new Set((await sampler.query<{ report_id: string }>('select report_id from ecg_critical_acknowledgements')).rows.map((r) => r.report_id)),
      journeyFailures: failures,
      unexpectedHubExits: hubs.reduce((s, h) => s + h.unexpectedExits, 0),
    });

    // --- Figures.
    const syncLatencies: number[] = [];
    for (const record of ledger.records.values()) {
      if (!record.savedAt || !record.by) continue;
      const arrivals = seen.get(`${record.collection}/${record.id}`);
      if (!arrivals) continue;
      const sameClinic = allWorkstations.filter((ws) => ws.options.institutionId === record.site && ws.name !== record.by);
      for (const ws of sameClinic) {
        const at = arrivals.get(ws.name);
        if (at !== undefined) syncLatencies.push(at - record.savedAt);
      }
    }
    const sendToWorklist = [...ledger.studies.values()].flatMap((s) => (seenReceivedAtCenter.has(s.id) ? [seenReceivedAtCenter.get(s.id)! - s.savedAt] : []));
    const timedReports = [...ledger.reports.values()].filter((rep) => Number.isFinite(rep.signedAt));
    const signToClinic = timedReports.flatMap((rep) => [...(signedSeen.get(rep.id)?.values() ?? [])].map((at) => at - rep.signedAt));
    const signToAck = timedReports.flatMap((rep) => (rep.critical && acked.has(rep.id) ? [acked.get(rep.id)! - rep.signedAt] : []));

    const per10k = (bytes: number) => (records > 0 ? Math.round((bytes * 10_000) / records) : 0);
    const byKind: Record<string, number> = {
      linkCuts: proxies.reduce((s, p) => s + p.counts.cuts, 0),
      delayedConnections: proxies.reduce((s, p) => s + p.counts.delayed, 0),
      duplicatedConnections: proxies.reduce((s, p) => s + p.counts.duplicated, 0),
      requestsCut: proxies.reduce((s, p) => s + p.counts.requestsCut, 0),
      responsesCut: proxies.reduce((s, p) => s + p.counts.responsesCut, 0),
      ...incidents,
    };
    delete byKind.postgresConnectionsTerminated;
    const faultsTotal = Object.values(byKind).reduce((a, b) => a + b, 0);
    const rss = series.map((s) => s.hubRssMiB).filter((x) => x > 0);
    const fds = series.map((s) => s.hubOpenFds).filter((x) => x > 0);
    const durationSeconds = (Date.now() - started) / 1000;
    const cpuSecondsTotal = hubs.reduce((s, h) => s + h.totalCpuSeconds, 0);
    const report: SoakReport = {
      options: { clinics: options.clinics, workstations: options.workstations, minutes: options.minutes, seed: options.seed, hubs: options.hubs, patientsPerClinic, faults: injecting },
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: postgresVersion, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 10) / 10) },
      durationSeconds,
      faults: {
        total: faultsTotal,
        byKind: { ...byKind, postgresConnectionsTerminatedInThoseTerminations: incidents.postgresConnectionsTerminated!, workstationPendingChangesAtKill: pendingAtKill },
        perSite: Object.fromEntries(proxies.map((p) => [p.name, { faults: p.faults, ...p.counts }])),
      },
      work,
      verdict,
      samples: Object.fromEntries(
        Object.entries({ syncSaveToOtherPc: syncLatencies, ecgSendToWorklist: sendToWorklist, signToClinic, criticalSignToAcknowledged: signToAck }).map(([k, v]) => [k, v.slice(0, 5000).map(Math.round)]),
      ),
      latencies: {
        syncSaveToOtherPc: percentiles(syncLatencies),
        ecgSendToWorklist: percentiles(sendToWorklist),
        signToClinic: percentiles(signToClinic),
        criticalSignToAcknowledged: percentiles(signToAck),
      },
      hub: {
        cpuSecondsTotal: Math.round(cpuSecondsTotal * 10) / 10,
        cpuPctMean: Math.round((1000 * cpuSecondsTotal) / durationSeconds) / 10,
        rssMiBPeak: Math.round(Math.max(0, ...rss)),
        rssMiBEnd: Math.round(rss.at(-1) ?? 0),
        openFdsPeak: Math.max(0, ...fds),
        openFdsEnd: fds.at(-1) ?? 0,
        starts: hubs.reduce((s, h) => s + h.starts, 0),
        unexpectedExits: hubs.reduce((s, h) => s + h.unexpectedExits, 0),
      },
      series,
      postgres: {
        records,
        tables: tables.map((t) => ({ name: t.name, tableBytes: Number(t.table_bytes), indexBytes: Number(t.index_bytes), bytesPer10kRecords: per10k(Number(t.table_bytes) + Number(t.index_bytes)) })),
        totalBytesPer10kRecords: per10k(tables.reduce((s, t) => s + Number(t.table_bytes) + Number(t.index_bytes), 0)),
      },
      clinicStore: allWorkstations
        .filter((ws) => ws !== center)
        .map((ws) => {
          const s = statsEnd.get(ws.name)!;
          return { records: s.records, bytes: s.localBytes, bytesPer10kRecords: s.records > 0 ? Math.round((s.localBytes * 10_000) / s.records) : 0 };
        }),
      conflicts: [...statsEnd.values()].reduce((s, x) => s + x.counters.conflicts, 0),
    };

    return report;
  } finally {
    // --- Shut down (also after a failed run: no process, proxy or database is left behind).
    await Promise.all(live.workstations.map((ws) => ws.stop().catch(() => undefined)));
    for (const proxy of live.proxies) await proxy.close().catch(() => undefined);
    for (const hub of live.hubs) {
      await hub.stop('SIGTERM').catch(() => undefined);
      hub.close();
    }
    for (const client of live.clients) await client.end().catch(() => undefined);
    if (!options.keepDatabase) {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${dbName} with (force)`);
      await cleanup.end();
      rmSync(runDir, { recursive: true, force: true });
    } else log(`kept database ${dbName} and ${runDir}`);
  }
}
