/**
 * The doctor's side of mutual recognition (检查检验结果互认), on local records only (works offline with
 * whatever results have synced): find the qualifying prior result when an item is ordered, and record
 * every reminder, view and decision as a `recognitionEvents` record for the county indicators.
 * The rules themselves are core/recognition's.
 */
import type { CatalogItem } from '../../core/catalog/index.ts';
import { findQualifyingResult, recognizedDecision, reorderDecision, type QualifyingResult, type ReorderReason } from '../../core/recognition/index.ts';
import { newRecordId, nowIso, type Order, type Patient, type RecognitionEvent, type Result, type Visit } from '../../core/records/index.ts';
import type { ClinicRecords } from './clinic-records.ts';
import type { ClinicSession, RecordRepository } from './repository.ts';

export interface Offer extends QualifyingResult {
  item: CatalogItem;
}

export interface RecognitionDesk {
  /** The result to offer for `item`, if one qualifies now. Records nothing. */
  offerFor(visit: Visit, patient: Patient | null, item: CatalogItem, now?: Date): Promise<Offer | undefined>;
  /** The reminder was shown. */
  reminded(visit: Visit, offer: Offer): Promise<void>;
  /** The doctor opened the prior result. */
  viewed(visit: Visit, offer: Offer): Promise<void>;
  /** Accept the prior result: an order that records the result used and the price saved; no test. */
  recognize(visit: Visit, offer: Offer): Promise<Order>;
  /** Test again for a standard reason ('other' needs a note). */
  reorder(visit: Visit, offer: Offer, reason: ReorderReason, note: string): Promise<Order>;
}

export function recognitionDesk(repo: RecordRepository, records: ClinicRecords, session: ClinicSession): RecognitionDesk {
  const event = (visit: Visit, offer: Offer, kind: RecognitionEvent['kind'], extra: Partial<RecognitionEvent> = {}) =>
    repo.save('recognitionEvents', {
      id: newRecordId(),
      institutionId: session.institutionId,
      updatedAt: nowIso(),
      kind,
      patientId: visit.patientId,
      visitId: visit.id,
      orderId: null,
      itemCode: offer.item.code,
      resultId: offer.result.id,
      resultInstitutionId: offer.result.institutionId,
      at: nowIso(),
      by: session.userId,
      reason: null,
      note: '',
      priceSavedFen: 0,
      ...extra,
    });

  return {
    async offerFor(visit, patient, item, now = new Date()) {
      // Results may be filed under this clinic's patient id or, after a master-patient merge, the master's.
      const patientIds = [...new Set([visit.patientId, patient?.mergedInto].filter((id): id is string => !!id))];
      const results: Result[] = (await Promise.all(patientIds.map((id) => repo.findBy('results', 'patientId', id)))).flat();
      const found = findQualifyingResult(results, { item, patientIds, now });
      return found ? { ...found, item } : undefined;
    },
    async reminded(visit, offer) {
      await event(visit, offer, 'reminder');
    },
    async viewed(visit, offer) {
      await event(visit, offer, 'view');
    },
    async recognize(visit, offer) {
      const decision = recognizedDecision(offer.item, offer.result);
      const order = await records.orderItem(visit.id, offer.item, decision);
      await event(visit, offer, 'recognized', { orderId: order.id, priceSavedFen: decision.decision === 'recognized' ? decision.priceSavedFen : 0 });
      return order;
    },
    async reorder(visit, offer, reason, note) {
      const decision = reorderDecision(reason, note); // throws before anything is written when 'other' lacks a note
      const order = await records.orderItem(visit.id, offer.item, decision);
      await event(visit, offer, 'refused', { orderId: order.id, reason, note: note.trim() });
      return order;
    },
  };
}
