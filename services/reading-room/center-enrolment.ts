/**
 * Enrolling a reading-room PC (阅片室) outside demo mode: the same one-time code and hub call as the
 * clinic's first-run wizard (setup-model enrolWorkstation, POST /auth/enrol), kept in the same
 * browser-mode store (workstation-settings browserSettingsStore) under the reading room's own key.
 * The hub is always the page's own origin, so the stored enrolment counts only for that hub.
 */
import type { WorkstationEnrolment } from '../session/session-service.ts';
import { browserSettingsStore, readingRoomSettingsKey } from '../session/workstation-settings.ts';
import { enrolWorkstation, type FetchLike } from '../setup/setup-model.ts';
import { CodedError } from '../../core/errors/index.ts';

type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Only an ECG centre's workstation reads ECGs; the hub's institution kind for it (InstitutionKind in sync/hub/auth/authenticate.ts). */
const centerKind = 'ecg_center';

/** The code enrolled a workstation of another kind of institution (a clinic's, say): not stored. */
export class NotCenterWorkstationError extends CodedError<'readingRoom.not-center-workstation'> {
  override readonly name = 'NotCenterWorkstationError';
  constructor(readonly institutionName: string) {
    super('readingRoom.not-center-workstation', { institutionName });
  }
}

const store = (storage: SettingsStorage) => browserSettingsStore(storage, readingRoomSettingsKey);

/** This page's enrolment on hubUrl, or null (none yet, or one kept for another hub). */
export async function loadCenterEnrolment(hubUrl: string, storage: SettingsStorage = localStorage): Promise<WorkstationEnrolment | null> {
  const stored = await store(storage).load();
  if (!stored.enrolment || stored.hubUrl !== hubUrl || stored.enrolment.institution.kind !== centerKind) return null;
  return stored.enrolment;
}

/** Exchanges the code for the credential and keeps it, only if it is an ECG centre's workstation. */
export async function enrolReadingRoom(
  hubUrl: string,
  code: string,
  options: { storage?: SettingsStorage; fetchImpl?: FetchLike | undefined } = {},
): Promise<WorkstationEnrolment> {
  const enrolment = await enrolWorkstation(hubUrl, code, options.fetchImpl);
  if (enrolment.institution.kind !== centerKind) throw new NotCenterWorkstationError(enrolment.institution.name);
  await store(options.storage ?? localStorage).save({ hubUrl, enrolment, printerName: null });
  return enrolment;
}
