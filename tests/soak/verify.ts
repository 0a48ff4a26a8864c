/**
 * The end-of-day checks of the soak. Two independent views must agree with what was stored:
 * - the runner's ledger: every record any site created (acknowledged by its local database or the
 *   hub), who treats each person, every field an edit set, every ECG and report;
 * - the hub's own scope: what each workstation would pull now, with its own token, straight from
 *   the hub (no proxy).
 * A failure is a lost, duplicated, misplaced or corrupted record; each is named (ids only).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { collectionNames, type CollectionName } from '../../core/records/index.ts';
import { deepEqual, replicatedState, sameDocumentState } from '../../sync/protocol/documents.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { pullAll } from '../integration/hub/support/sync.ts';

export interface LedgerRecord {
  collection: CollectionName;
  id: string;
  /** The institution that created it. */
  site: string;
  /** The person it is about (the runner's key). */
  person: number;
  /** false: the command's answer was lost to a killed workstation, so it may or may not exist. */
  certain: boolean;
  /** The workstation that saved it, and when its local database said so. */
  by?: string;
  savedAt?: number;
}

export interface LedgerStudy {
  id: string;
  clinic: string;
  person: number;
  patientId: string;
  priority: 'urgent' | 'routine';
  sha256: string;
  size: number;
  savedAt: number;
  hashVerifiedByCenter?: boolean;
  signatureAnswerLost?: boolean;
}

export interface LedgerReport {
  id: string;
  studyId: string;
  clinic: string;
  critical: boolean;
  /** Hub time of the signature (ms). */
  signedAt: number;
}

export interface Ledger {
  records: Map<string, LedgerRecord>;
  /** person → clinics where the person was registered. */
  persons: Map<number, Set<string>>;
  /** `${collection}/${id}` → field → the value the last edit of that field set. */
  expectedFields: Map<string, Record<string, unknown>>;
  studies: Map<string, LedgerStudy>;
  reports: Map<string, LedgerReport>;
}

export interface Verdict {
  ok: boolean;
  /** Every problem found (failures lists the first 60). */
  problems: number;
  failures: string[];
  counts: Record<string, number>;
}

interface WorkstationView {
  name: string;
  institutionId: string;
  token: string;
  dump: { docs: Record<string, Record<string, unknown>[]>; needsAttention: unknown[] };
  isCenter: boolean;
}

const CENTER_COLLECTIONS: readonly CollectionName[] = ['patients', 'ecgStudies', 'ecgReports'];

export async function verify(input: {
  ledger: Ledger;
  db: pg.Client;
  hubUrl: string;
  centerToken: string;
  workstations: WorkstationView[];
  acknowledged: () => Promise<Set<string>>;
  journeyFailures: string[];
  unexpectedHubExits: number;
}): Promise<Verdict> {
  const { ledger } = input;
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  let problems = 0;
  const fail = (kind: string, message: string) => {
    problems++;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (failures.length < 60) failures.push(`${kind}: ${message}`);
  };
  const count = (kind: string, n = 1) => (counts[kind] = (counts[kind] ?? 0) + n);

  // --- The hub's store.
  const hubRows = (await input.db.query<{ collection: CollectionName; id: string; doc: Record<string, unknown>; deleted: boolean }>('select collection, id, doc, deleted from records')).rows;
  const atHub = new Map(hubRows.map((r) => [`${r.collection}/${r.id}`, r]));
  count('hubRecords', hubRows.length);
  for (const [key, record] of ledger.records) {
    const row = atHub.get(key);
    if (!row) {
      if (record.certain) fail('lost at the hub', `${key} (saved at ${record.by ?? record.site})`);
      else count('unacknowledged writes not at the hub (answer lost to a killed PC)');
      continue;
    }
    if (row.deleted) fail('deleted at the hub', key);
    if (!record.certain) count('unacknowledged writes that reached the hub');
    // A registration whose answer was lost still makes the clinic a treating one, once at the hub.
    if (record.collection === 'patients') ledger.persons.set(record.person, new Set([...(ledger.persons.get(record.person) ?? []), record.site]));
  }
  for (const row of hubRows) if (!ledger.records.has(`${row.collection}/${row.id}`)) fail('record at the hub nobody created (duplicate or phantom)', `${row.collection}/${row.id}`);
  // One living registration per person per clinic (a re-registered card must find the patient).
  const registrations = new Map<string, number>();
  for (const row of hubRows) {
    if (row.collection !== 'patients' || row.deleted) continue;
    const key = `${row.doc.institutionId as string}/${row.doc.documentType as string}/${row.doc.idNumber as string}`;
    registrations.set(key, (registrations.get(key) ?? 0) + 1);
  }
  for (const [key, n] of registrations) if (n > 1) fail('duplicate patient at one clinic', `${key.split('/')[0]}: ${n} registrations of one card`);
  count('patientsMergedAcrossClinics', hubRows.filter((r) => r.collection === 'patients' && r.doc.mergedInto).length);

  // --- No lost edits: every field an edit set holds its last value at the hub.
  for (const [key, fields] of ledger.expectedFields) {
    const row = atHub.get(key);
    if (!row) continue; // reported above
    for (const [field, value] of Object.entries(fields)) {
      if (!deepEqual(row.doc[field], value)) fail('edit lost', `${key}.${field}`);
      else count('edited fields kept');
    }
  }

  // --- Every workstation holds exactly what the hub's scope gives it, and the ledger agrees.
  const hubDocOf = (collection: CollectionName, id: string) => atHub.get(`${collection}/${id}`);
  const personsWithEcg = new Set([...ledger.studies.values()].map((s) => s.person));
  for (const ws of input.workstations) {
    if (ws.dump.needsAttention.length > 0) fail('records the hub refused (set aside on a PC)', `${ws.name}: ${ws.dump.needsAttention.length}`);
    for (const collection of collectionNames) {
      const local = new Map((ws.dump.docs[collection] ?? []).map((d) => [d.id as string, d]));
      const { documents } = await pullAll(input.hubUrl, { accessToken: ws.token } as never, collection, undefined, 1000);
      const visible = new Map(documents.filter((d) => !d._deleted).map((d) => [d.id, d]));
      for (const [id, doc] of visible) {
        const mine = local.get(id);
        if (!mine) fail('not delivered to an entitled PC', `${collection}/${id} missing on ${ws.name}`);
        else if (!sameDocumentState(replicatedState({ ...mine, _deleted: false }), replicatedState(doc))) fail('stale or diverged copy on a PC', `${collection}/${id} on ${ws.name}`);
        else count('copies verified on PCs');
      }
      for (const id of local.keys()) if (!visible.has(id)) fail('record on a PC the hub does not give it', `${collection}/${id} on ${ws.name}`);

      // The ledger's entitlement, independently of the hub's scope code.
      for (const record of ledger.records.values()) {
        if (record.collection !== collection || !hubDocOf(collection, record.id)) continue;
        const treating = ledger.persons.get(record.person) ?? new Set<string>();
        const has = local.has(record.id);
        if (ws.isCenter) {
          const sentEcg = personsWithEcg.has(record.person);
          if (collection === 'ecgStudies' || collection === 'ecgReports') {
            if (!has) fail('ECG record missing at the centre', `${collection}/${record.id}`);
          } else if (!CENTER_COLLECTIONS.includes(collection) && has) fail('clinical record at the ECG centre', `${collection}/${record.id}`);
          else if (collection === 'patients' && has && !sentEcg) fail('patient at the ECG centre without an ECG', record.id);
        } else if (treating.has(ws.institutionId)) {
          if (!has) fail('record missing at a treating clinic', `${collection}/${record.id} on ${ws.name}`);
        } else if (has) fail('record at a clinic that does not treat the person', `${collection}/${record.id} on ${ws.name}`);
      }
    }
  }

  // --- ECGs: the file at the hub hashes to the study's SHA-256; read, reported, signed, delivered.
  for (const study of ledger.studies.values()) {
    const row = hubDocOf('ecgStudies', study.id);
    if (!row) continue;
    const blob = await fetch(`${input.hubUrl}${paths.blob(study.sha256)}`, { headers: { authorization: `Bearer ${input.centerToken}` } });
    const bytes = blob.ok ? new Uint8Array(await blob.arrayBuffer()) : undefined;
    if (!bytes) fail('ECG file missing at the hub', `${study.id} (${blob.status})`);
    else if (createHash('sha256').update(bytes).digest('hex') !== study.sha256 || bytes.length !== study.size) fail('ECG file corrupted', study.id);
    else count('ECG files hash-verified');
    if (study.hashVerifiedByCenter === false) fail('ECG file the centre read did not match its hash', study.id);
    if (study.hashVerifiedByCenter === true) count('ECG files hash-verified by the centre');
    if (row.doc.readingState !== 'reported') fail('ECG not reported', `${study.id} is ${row.doc.readingState as string}`);
    const signed = hubRows.filter((r) => r.collection === 'ecgReports' && r.doc.studyId === study.id && r.doc.signedAt);
    if (signed.length !== 1) fail('ECG without exactly one signed report', `${study.id}: ${signed.length}`);
  }
  const acknowledged = await input.acknowledged();
  for (const row of hubRows) {
    if (row.collection !== 'ecgReports' || !row.doc.signedAt) continue;
    count('signed reports');
    if (row.doc.critical) {
      if (acknowledged.has(row.id)) count('critical values acknowledged');
      else fail('critical value not acknowledged', row.id);
    }
  }
  for (const report of ledger.reports.values()) {
    const row = hubDocOf('ecgReports', report.id);
    if (!row?.doc.signedAt) fail('signed report not at the hub', report.id);
  }

  for (const message of input.journeyFailures) fail('a clinic action failed', message);
  if (input.unexpectedHubExits > 0) count('hub exits nobody asked for (restarted by the runner)', input.unexpectedHubExits);
  return { ok: problems === 0, problems, failures, counts };
}
