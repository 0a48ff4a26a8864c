/**
 * One visit, for the doctor: the patient, their history from every institution (as far as it has
 * synced), and the record of this visit. Closing locks it: later corrections are amendments, kept
 * and shown beneath the closed record (core/records visit rules; the sync conflict rules enforce the
 * same on the hub).
 */
import { Alert, Button, Card, Form, Input, InputNumber, Space, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ageInYearsOn, formatDate, formatDateTime, isFinalVisitStatus, type Order, type Patient, type Visit } from '../../core/records/index.ts';
import { errorMessage, inLanguage } from '../app/messages.ts';
import { useClinic, useCollectionVersion } from '../records/ClinicContext.tsx';
import { useNames } from '../records/directory.tsx';
import { EcgReportDialog } from '../ecg/remote/EcgReportDialog.tsx';
import { ReadingStateTag } from '../ecg/remote/ReadingStateTag.tsx';
import { displayedState } from '../../services/remote-diagnosis/sent-studies.ts';
import type { Diagnosis, PatientHistory } from '../../services/records/clinic-records.ts';
import { DiagnosisPicker, OrderPicker } from './Pickers.tsx';
import type { CatalogItem } from '../../core/catalog/index.ts';
import { RecognitionReminder } from './RecognitionReminder.tsx';
import { ResultValuesInline } from './ResultValues.tsx';
import { recognitionDesk, type Offer } from '../../services/records/recognition.ts';
import { useVisitDraft } from './visit-draft.ts';
import { parseVitals, vitalFields, vitalsToText, vitalUnits, type VitalField, type VitalProblem, type VitalsText } from './vitals.ts';
import './consultation.css';

export function VisitEditor({ visitId, onBack }: { visitId: string; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const { repo, records, session } = useClinic();
  const names = useNames();
  const [viewingEcg, setViewingEcg] = useState<string | null>(null);
  const version = useCollectionVersion('visits', 'orders', 'results', 'ecgStudies');
  const [visit, setVisit] = useState<Visit | null>(null);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [orders, setOrders] = useState<Order[]>([]);
  const [history, setHistory] = useState<PatientHistory | null>(null);
  const [complaint, setComplaint] = useState('');
  const [vitalsText, setVitalsText] = useState<VitalsText>({});
  const [diagnoses, setDiagnoses] = useState<Diagnosis[]>([]);
  const [notes, setNotes] = useState('');
  const [vitalProblems, setVitalProblems] = useState<VitalProblem[]>([]);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [amendment, setAmendment] = useState('');
  // 互认: the prior result offered for the item being ordered, until the doctor decides.
  const desk = useMemo(() => recognitionDesk(repo, records, session), [repo, records, session]);
  const [offer, setOffer] = useState<Offer | null>(null);

  // Open: a waiting visit becomes "in consultation" with this doctor; the form starts from the record.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let v = await repo.get('visits', visitId);
      if (!v) return;
      if (v.status === 'waiting') v = await records.startConsultation(visitId);
      if (cancelled) return;
      setVisit(v);
      setComplaint(v.complaint);
      setVitalsText(vitalsToText(v.vitals));
      setDiagnoses(v.diagnoses);
      setNotes(v.notes);
      setPatient((await repo.get('patients', v.patientId)) ?? null);
    })();
    return () => {
      cancelled = true;
    };
  }, [repo, records, visitId]);

  // Orders of this visit and the patient's history follow every local or synced change.
  useEffect(() => {
    if (!visit) return;
    let cancelled = false;
    void Promise.all([repo.findBy('orders', 'visitId', visit.id), records.patientHistory(visit.patientId), repo.get('visits', visit.id)]).then(([o, h, fresh]) => {
      if (cancelled) return;
      setOrders(o.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt)));
      setHistory(h);
      if (fresh && isFinalVisitStatus(fresh.status)) setVisit(fresh);
    });
    return () => {
      cancelled = true;
    };
  }, [repo, records, visit?.id, visit?.patientId, version]);

  // What the doctor typed but has not saved survives a reload (visit-draft.ts).
  const draft = useVisitDraft(repo, visit, { complaint, vitalsText, diagnoses, notes }, (d) => {
    setComplaint(d.complaint);
    setVitalsText(d.vitalsText);
    setDiagnoses(d.diagnoses);
    setNotes(d.notes);
  });

  const changes = useCallback(() => {
    const parsed = parseVitals(vitalsText);
    setVitalProblems(parsed.ok ? [] : parsed.problems);
    return parsed.ok ? { complaint, vitals: parsed.vitals, diagnoses, notes } : null;
  }, [complaint, vitalsText, diagnoses, notes]);

  const run = async (action: () => Promise<Visit>, savedText: string) => {
    setBusy(true);
    setStatus(null);
    try {
      setVisit(await action());
      setStatus({ kind: 'saved', text: savedText });
    } catch (error) {
      setStatus({ kind: 'error', text: t('consultation.saveFailed', { message: errorMessage(i18n.language, error) }) });
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    const c = changes();
    if (c) void run(() => records.saveConsultation(visitId, c), t('consultation.saved'));
  };
  const close = () => {
    const c = changes();
    if (!c) return;
    if (c.diagnoses.length === 0) return setStatus({ kind: 'error', text: t('consultation.needDiagnosis') });
    void run(() => records.closeVisit(visitId, c), t('consultation.saved'));
  };
  const amend = () => {
    if (!amendment.trim()) return;
    void run(() => records.amendVisit(visitId, amendment), t('consultation.saved')).then(() => setAmendment(''));
  };
  const order = async (item: CatalogItem) => {
    setStatus(null);
    try {
      const found = visit ? await desk.offerFor(visit, patient, item) : undefined;
      if (visit && found) {
        await desk.reminded(visit, found);
        setOffer(found);
        return;
      }
      await records.orderItem(visitId, item);
      setOrders(await repo.findBy('orders', 'visitId', visitId));
    } catch (error) {
      setStatus({ kind: 'error', text: t('consultation.saveFailed', { message: errorMessage(i18n.language, error) }) });
    }
  };
  const decide = async (action: (v: Visit, o: Offer) => Promise<unknown>) => {
    if (!visit || !offer) return;
    setBusy(true);
    setStatus(null);
    try {
      await action(visit, offer);
      setOffer(null);
      setOrders(await repo.findBy('orders', 'visitId', visitId));
    } catch (error) {
      setStatus({ kind: 'error', text: t('consultation.saveFailed', { message: errorMessage(i18n.language, error) }) });
    } finally {
      setBusy(false);
    }
  };
  const orderStatusText = (o: Order) =>
    o.recognition?.decision === 'recognized'
      ? t('recognition.recognizedOrder', { price: (o.recognition.priceSavedFen / 100).toFixed(2) })
      : o.recognition?.decision === 're-ordered'
        ? t('recognition.reorderedOrder', { reason: t(`recognition.reasons.${o.recognition.reason}`) })
        : t('consultation.ordered');

  if (!visit) return <p className="muted">{t('common.loading')}</p>;
  const locked = isFinalVisitStatus(visit.status);
  const vitalProblemText = (p: VitalProblem) => {
    const fieldName = t(`consultation.vitalsFields.${p.field}`);
    if (p.kind === 'out-of-range') return t('consultation.vitalsOutOfRange', { field: fieldName, min: p.min, max: p.max, unit: p.unit });
    if (p.kind === 'not-a-number') return t('consultation.vitalsNotNumber', { field: fieldName });
    if (p.kind === 'record') return inLanguage(i18n.language, p);
    return t('consultation.vitalsNotInteger', { field: fieldName });
  };
  const earlierVisits = history?.visits.filter((v) => v.id !== visit.id) ?? [];
  const fromElsewhere = (institutionId: string) =>
    institutionId !== session.institutionId ? <span className="muted"> · {t('consultation.fromOtherInstitution', { institution: names.institution(institutionId) })}</span> : null;

  const problemOf = (f: VitalField) => vitalProblems.some((p) => p.field === f);

  return (
    <section className="visit-editor" aria-label={patient?.name ?? ''} data-visit-status={visit.status} data-draft-state={draft.state}>
      <div className="visit-banner">
        <Button type="link" size="small" onClick={onBack}>
          ← {t('consultation.back')}
        </Button>
        <h3 data-testid="visit-patient-name">
          {patient?.name} {t('queue.number', { number: visit.queueNumber })}
        </h3>
        {patient && (
          <span>
            {t(`registration.sex.${patient.sex}`)} · {t('consultation.age', { age: ageInYearsOn(patient.birthDate, visit.visitDate) })} ·{' '}
            <span className="mono">{patient.idNumber}</span>
            {patient.phone && ` · ${patient.phone}`}
          </span>
        )}
        <Tag color={locked ? 'green' : 'gold'}>{t(`queue.status.${visit.status}`)}</Tag>
        {draft.restored && <Tag color="blue">{t('consultation.draftRestored')}</Tag>}
      </div>

      <div className="two-columns">
        <Card size="small" className="visit-record">
          <Form layout="vertical" component="div" size="small">
            <Form.Item label={t('consultation.complaint')} htmlFor="visit-complaint" className="visit-item">
              <Input.TextArea id="visit-complaint" value={complaint} onChange={(e) => setComplaint(e.target.value)} readOnly={locked} maxLength={2000} rows={2} />
            </Form.Item>
            <fieldset className="visit-vitals" disabled={locked}>
              <legend>{t('consultation.vitals')}</legend>
              {vitalFields.map((f) => (
                // Name and unit beside the number, one line per sign: eight signs in two rows.
                <Form.Item key={f} validateStatus={problemOf(f) ? 'error' : undefined} className="visit-item">
                  <Space.Compact block>
                    <Space.Addon>
                      <label htmlFor={`vital-${f}`}>{t(`consultation.vitalsFields.${f}`)}</label>
                    </Space.Addon>
                    <InputNumber<string>
                      id={`vital-${f}`}
                      stringMode
                      controls={false}
                      inputMode="decimal"
                      style={{ width: '100%' }}
                      value={vitalsText[f] ?? null}
                      onChange={(v) => setVitalsText({ ...vitalsText, [f]: v ?? '' })}
                      aria-invalid={problemOf(f) || undefined}
                    />
                    <Space.Addon>{vitalUnits[f]}</Space.Addon>
                  </Space.Compact>
                </Form.Item>
              ))}
            </fieldset>
            {vitalProblems.map((p, i) => (
              <Alert key={i} type="error" showIcon className="field-problem" role="alert" title={vitalProblemText(p)} />
            ))}
            <Form.Item label={t('consultation.diagnoses')} className="visit-item">
              <div className="diagnoses" data-testid="diagnoses">
                {diagnoses.map((d) => (
                  <Tag
                    key={d.code}
                    color="blue"
                    closable={locked ? false : { 'aria-label': `${t('consultation.remove')} ${d.code} ${d.name}` }}
                    onClose={(e) => {
                      e.preventDefault();
                      setDiagnoses(diagnoses.filter((x) => x.code !== d.code));
                    }}
                  >
                    <span className="mono">{d.code}</span> {d.name}
                  </Tag>
                ))}
              </div>
              {!locked && <DiagnosisPicker patient={patient ? { sex: patient.sex, ageYears: ageInYearsOn(patient.birthDate, visit.visitDate) } : undefined} exclude={diagnoses.map((d) => d.code)} onPick={(d) => setDiagnoses([...diagnoses, { code: d.code, name: d.name }])} />}
            </Form.Item>
            <Form.Item label={t('consultation.notes')} htmlFor="visit-notes" className="visit-item">
              <Input.TextArea id="visit-notes" value={notes} onChange={(e) => setNotes(e.target.value)} readOnly={locked} maxLength={8000} rows={2} />
            </Form.Item>
            <Form.Item label={t('consultation.orders')} className="visit-item">
              <ul className="orders" data-testid="orders">
                {orders.map((o) => (
                  <li key={o.id}>
                    {o.itemName} <span className="muted mono">{o.itemCode}</span> · {orderStatusText(o)}
                  </li>
                ))}
              </ul>
              {!locked && <OrderPicker disabled={busy || offer !== null} onOrder={(item) => void order(item)} />}
            </Form.Item>
          </Form>
          {!locked && offer && (
            <RecognitionReminder
              key={offer.result.id}
              offer={offer}
              busy={busy}
              // Counting a view must not hold up the doctor's decision: no busy state.
              onView={() => visit && void desk.viewed(visit, offer).catch((error: unknown) => setStatus({ kind: 'error', text: t('consultation.saveFailed', { message: errorMessage(i18n.language, error) }) }))}
              onRecognize={() => void decide((v, o) => desk.recognize(v, o))}
              onReorder={(reason, note) => void decide((v, o) => desk.reorder(v, o, reason, note))}
              onCancel={() => setOffer(null)}
            />
          )}
          {locked && (
            <div className="locked">
              <Alert type="info" showIcon title={t('consultation.closed', { at: formatDateTime(visit.closedAt ?? visit.updatedAt) })} />
              <h4>{t('consultation.amendments')}</h4>
              <ul className="amendments" data-testid="amendments">
                {visit.amendments.map((a) => (
                  <li key={a.id}>
                    <p>{a.text}</p>
                    <p className="muted">{t('consultation.amendmentBy', { by: a.by, at: formatDateTime(a.at) })}</p>
                  </li>
                ))}
              </ul>
              <Form layout="vertical" component="div" size="small">
                <Form.Item label={t('consultation.amendmentText')} htmlFor="visit-amendment">
                  <Input.TextArea id="visit-amendment" value={amendment} onChange={(e) => setAmendment(e.target.value)} maxLength={2000} rows={2} />
                </Form.Item>
              </Form>
            </div>
          )}
          {/* 保存 / 结束就诊 stay on screen at 1366×768 however long the record grows: the bar sticks
              to the bottom of the window while the record scrolls under it (issue 14 item 1). */}
          <div className="visit-actions">
            {!locked ? (
              <>
                <Button type="primary" onClick={save} disabled={busy}>
                  {t('consultation.save')}
                </Button>
                <Button onClick={close} disabled={busy}>
                  {t('consultation.close')}
                </Button>
              </>
            ) : (
              <Button type="primary" onClick={amend} disabled={busy || !amendment.trim()}>
                {t('consultation.addAmendment')}
              </Button>
            )}
            <div role="status" data-testid="visit-status">
              {status && <p className={status.kind === 'saved' ? 'saved' : 'error'}>{status.text}</p>}
            </div>
          </div>
        </Card>

        <Card size="small" className="visit-history" title={<h4>{t('consultation.history')}</h4>}>
          <aside aria-label={t('consultation.history')}>
            {history && earlierVisits.length + history.results.length + history.ecgStudies.length === 0 && <p className="muted">{t('consultation.noHistory')}</p>}
            {earlierVisits.length > 0 && (
              <>
                <h5>{t('consultation.previousVisits')}</h5>
                <ul data-testid="history-visits">
                  {earlierVisits.map((v) => (
                    <li key={v.id}>
                      {v.visitDate} · {v.diagnoses.map((d) => d.name).join('、') || t(`queue.status.${v.status}`)}
                      {v.doctorId && <span className="muted"> · {names.person(v.doctorId)}</span>}
                      {fromElsewhere(v.institutionId)}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {history && history.results.length > 0 && (
              <>
                <h5>{t('consultation.results')}</h5>
                <ul data-testid="history-results">
                  {history.results.map((r) => (
                    <li key={r.id}>
                      {formatDate(r.performedAt)} · {r.itemName}
                      {r.values.length > 0 && (
                        <>
                          {' · '}
                          <ResultValuesInline values={r.values} />
                        </>
                      )}
                      {fromElsewhere(r.institutionId)}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {history && history.ecgStudies.length > 0 && (
              <>
                <h5>{t('consultation.ecgStudies')}</h5>
                <ul data-testid="history-ecg">
                  {history.ecgStudies.map((s) => (
                    <li key={s.id}>
                      {formatDate(s.capturedAt)} ·{' '}
                      {t('consultation.ecgSummary', { hr: s.measurements.heartRate ?? t('consultation.unknownValue') })}
                      {fromElsewhere(s.institutionId)} <ReadingStateTag shown={displayedState(s, undefined)} />
                      <Button type="link" size="small" onClick={() => setViewingEcg(s.id)}>
                        {t('remote.viewReport')}
                      </Button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </aside>
        </Card>
      </div>
      {viewingEcg && <EcgReportDialog studyId={viewingEcg} onClose={() => setViewingEcg(null)} />}
    </section>
  );
}
