/**
 * The doctor's unsaved typing in an open visit, kept as a draft (RecordRepository.drafts: RxDB local
 * documents, never replicated) so a reload or a crash loses nothing. A draft exists only while the
 * form differs from the stored visit: saving or closing the visit makes them equal and the draft goes.
 */
import { useEffect, useRef, useState } from 'react';
import { isFinalVisitStatus, type Visit } from '../../core/records/index.ts';
import type { Diagnosis } from '../../services/records/clinic-records.ts';
import type { RecordRepository } from '../../services/records/repository.ts';
import { vitalsToText, type VitalsText } from './vitals.ts';

export interface VisitDraft {
  complaint: string;
  vitalsText: VitalsText;
  diagnoses: Diagnosis[];
  notes: string;
}

export const visitDraftKey = (visitId: string) => `visit-editor:${visitId}`;
const DRAFT_SAVE_DELAY_MS = 300;

const draftOf = (visit: Visit): VisitDraft => ({ complaint: visit.complaint, vitalsText: vitalsToText(visit.vitals), diagnoses: visit.diagnoses, notes: visit.notes });
const sameDraft = (a: VisitDraft, b: VisitDraft) => JSON.stringify(a) === JSON.stringify(b);
const emptyVitals = (v: VitalsText) => Object.fromEntries(Object.entries(v).filter(([, text]) => text !== '' && text !== undefined));

/** loading: not read yet; clean: no draft (the form equals the stored visit); pending/saved: a draft being written / written. */
export type VisitDraftState = 'loading' | 'clean' | 'pending' | 'saved';

/**
 * `restore` is called once, when the visit is open and editable and a draft of it exists. Afterwards
 * every change of `current` is written back after a short pause (or the draft removed when the form
 * again equals the stored visit).
 */
export function useVisitDraft(
  repo: RecordRepository,
  visit: Visit | null,
  current: VisitDraft,
  restore: (draft: VisitDraft) => void,
): { state: VisitDraftState; restored: boolean } {
  const [state, setState] = useState<VisitDraftState>('loading');
  const [restored, setRestored] = useState(false);
  const loadedFor = useRef<string | null>(null);
  const visitId = visit?.id ?? null;
  const locked = visit ? isFinalVisitStatus(visit.status) : false;

  useEffect(() => {
    if (!visitId || loadedFor.current === visitId) return;
    let cancelled = false;
    void repo.drafts.get<VisitDraft>(visitDraftKey(visitId)).then((stored) => {
      if (cancelled) return;
      loadedFor.current = visitId;
      if (stored && !locked) {
        restore({ complaint: stored.complaint ?? '', vitalsText: stored.vitalsText ?? {}, diagnoses: stored.diagnoses ?? [], notes: stored.notes ?? '' });
        setRestored(true);
        setState('saved');
      } else setState('clean');
    });
    return () => {
      cancelled = true;
    };
    // `restore` and `locked` are read once per visit, on purpose: later changes are the doctor's typing.
  }, [repo, visitId]);

  const loaded = state !== 'loading';
  const stored = visit ? draftOf(visit) : null;
  const differs = stored !== null && !sameDraft({ ...current, vitalsText: emptyVitals(current.vitalsText) }, { ...stored, vitalsText: emptyVitals(stored.vitalsText) });
  const key = JSON.stringify(current);
  useEffect(() => {
    if (!loaded || !visitId) return;
    const keep = differs && !locked;
    const timer = setTimeout(() => {
      const write = keep ? repo.drafts.set(visitDraftKey(visitId), current) : repo.drafts.remove(visitDraftKey(visitId));
      void write.then(() => setState(keep ? 'saved' : 'clean'));
    }, DRAFT_SAVE_DELAY_MS);
    if (keep) setState('pending');
    return () => clearTimeout(timer);
    // `key` stands for `current`, compared by value rather than by identity.
  }, [loaded, visitId, key, differs, locked, repo]);

  return { state, restored: restored && !locked };
}
