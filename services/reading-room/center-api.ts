import { z } from 'zod';
/** The reading room's calls to the hub beside replication (sync/protocol/ecg-reading.ts), every answer parsed with zod. */
import type { EcgReport } from '../../core/records/index.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { claimSchema, claimsResponseSchema, ecgPaths, releaseResponseSchema, signReportResponseSchema, type Claim } from '../../sync/protocol/ecg-reading.ts';
import { hubFetch, hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import { sha256Hex } from '../../sync/client/blob-upload.ts';
import { CodedError } from '../../core/errors/index.ts';

const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } as const;

export const claimStudy = (hub: HubConnection, studyId: string): Promise<Claim> => hubJson(hub, ecgPaths.claim(studyId), claimSchema, post);

export const releaseStudy = (hub: HubConnection, studyId: string): Promise<{ released: boolean }> => hubJson(hub, ecgPaths.release(studyId), releaseResponseSchema, post);

export const openClaims = async (hub: HubConnection): Promise<Claim[]> => (await hubJson(hub, ecgPaths.claims(), claimsResponseSchema)).claims;

export const signReport = async (hub: HubConnection, report: EcgReport): Promise<EcgReport> =>
  (await hubJson(hub, ecgPaths.report(report.studyId), signReportResponseSchema, { ...post, body: JSON.stringify({ report }) })).report;

export class TracingDamagedError extends CodedError<'readingRoom.tracing-damaged'> {
  override readonly name = 'TracingDamagedError';
  constructor() {
    super('readingRoom.tracing-damaged');
  }
}

/** The study's DICOM file from the hub's blob store, checked against the hash the study names. */
export async function fetchDicom(hub: HubConnection, sha256: string): Promise<Uint8Array> {
  const response = await hubFetch(hub, paths.blob(sha256));
  const bytes = new Uint8Array(await response.arrayBuffer());
  if ((await sha256Hex(bytes)) !== sha256) throw new TracingDamagedError();
  return bytes;
}

const institutionsSchema = z.object({ institutions: z.array(z.object({ id: z.string(), name: z.string() })) });
/** Names of the community's institutions, to show which clinic sent a study. */
export const institutionNames = async (hub: HubConnection): Promise<Map<string, string>> =>
  new Map((await hubJson(hub, '/admin/institutions', institutionsSchema)).institutions.map((i) => [i.id, i.name]));
