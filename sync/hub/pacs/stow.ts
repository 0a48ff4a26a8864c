/**
 * STOW-RS (DICOMweb Store, PS3.18 §10.5): POST one DICOM Part-10 file to an archive as
 * `multipart/related; type="application/dicom"`. Written by hand (fifteen lines of multipart) rather
 * than with dicomweb-client, which targets browsers (XMLHttpRequest) and would add a dependency for
 * one request.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export const pacsForwardConfigSchema = z.strictObject({
  /** The STOW-RS endpoint, e.g. http://pacs.county.local:8042/dicom-web/studies (Orthanc). */
  url: z.url({ protocol: /^https?$/ }),
  /** HTTP Basic credentials, if the archive asks for them. */
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** One request's deadline. */
  timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  /** Retry delays double from the first to the cap. */
  retryInitialMs: z.number().int().min(10).default(5_000),
  retryMaxMs: z.number().int().min(10).default(60 * 60_000),
  /** Forward only studies received from this time on (ISO 8601); unset: every study the hub holds. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** How often the worker looks for due forwards besides being woken by new studies. */
  pollMs: z.number().int().min(10).default(5_000),
});
export type PacsForwardConfig = z.infer<typeof pacsForwardConfigSchema>;

export type StowOutcome =
  | { ok: true; status: number }
  /** final: the archive refused this object (retrying cannot help); otherwise try again later. */
  | { ok: false; final: boolean; error: string };

/** DICOM JSON tag of the Failed SOP Sequence in a STOW-RS response. */
const FAILED_SOP_SEQUENCE = '00081198';
/** Refusals of the object itself; anything else (auth, 404, 5xx, network) may pass after a fix or a wait. */
const FINAL_STATUSES = new Set([400, 409, 413, 415]);

export async function stowInstance(config: PacsForwardConfig, dicom: Uint8Array, fetchImpl: typeof fetch = fetch): Promise<StowOutcome> {
  const boundary = `clinicws-${randomUUID()}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    dicom,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers: Record<string, string> = {
    'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
    accept: 'application/dicom+json',
  };
  if (config.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetchImpl(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, final: false, error: `network: ${cause ?? (error as Error).name}` };
  }
  // The answer lists UIDs and retrieve URLs; only whether it reports a failure matters here.
  const text = await response.text().catch(() => '');
  if (response.status === 200) return { ok: true, status: 200 };
  if (response.status === 202) {
    let failed = false;
    try {
      failed = FAILED_SOP_SEQUENCE in (JSON.parse(text) as Record<string, unknown>);
    } catch {
      /* a 202 without a readable body: stored with warnings */
    }
    return failed ? { ok: false, final: true, error: 'HTTP 202: the archive refused the instance' } : { ok: true, status: 202 };
  }
  return { ok: false, final: FINAL_STATUSES.has(response.status), error: `HTTP ${response.status}` };
}
