/**
 * 挂号登记 — the nurse's screen. A card read fills the form and looks the patient up by document
 * number; "register and queue" finds or creates the patient and queues a visit, and says "saved" only
 * after both writes committed. What the nurse types is kept as a draft that survives a reload.
 */
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { checkCitizenIdNumber, isExpired, nationCodeList, nationName } from '../../core/identity/index.ts';
import { insuranceCardSchema } from '../../core/insurance/insurance-card.ts';
import { scannedCodeSchema } from '../../core/insurance/scanned-code.ts';
import { documentTypes, type Patient, type Visit } from '../../core/records/index.ts';
import { errorMessage, inLanguage } from '../app/messages.ts';
import { useDebounced } from '../app/useDebounced.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';
import { simulatorOf } from '../../services/platform/simulator.ts';
import { useClinic } from '../records/ClinicContext.tsx';
import { DemoCardPanel } from './DemoCardPanel.tsx';
import { identityDocumentJsonSchema } from './device-payloads.ts';
import { PatientSearch } from './PatientSearch.tsx';
import { QueueTicket } from './QueueTicket.tsx';
import {
  draftFromIdentityDocument,
  draftFromInsuranceCard,
  draftFromPatient,
  emptyDraft,
  toPatientFields,
  validateRegistration,
  withFieldsFromIdNumber,
  registrationMethodOf,
  type FieldProblem,
  type FormProblems,
  type RegistrationDraft,
} from './registration-form.ts';

export const DRAFT_KEY = 'registration-form';
const DRAFT_SAVE_DELAY_MS = 200;
/** The app's one date format (birth dates, visit dates). */
const DATE_FORMAT = 'YYYY-MM-DD';
/** A stored YYYY-MM-DD as the date picker's value; anything else (empty, half typed) as no date. */
const asDay = (text: string): Dayjs | null => (/^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs(text).isValid() ? dayjs(text) : null);

/** What a registration did: both writes, the patient only (the visit failed), or nothing. */
type Outcome =
  | { kind: 'saved'; patient: Patient; visit: Visit; created: boolean; alreadyQueued: boolean }
  | { kind: 'not-queued'; patient: Patient; created: boolean; message: string }
  | { kind: 'failed'; message: string };

const isEmptyDraft = (d: RegistrationDraft) => d.name === '' && d.idNumber === '' && d.phone === '' && d.address === '';

export function RegistrationScreen() {
  const { t, i18n } = useTranslation();
  const { api, info } = useWorkstation();
  const { records, repo } = useClinic();
  const [draft, setDraft] = useState<RegistrationDraft>(emptyDraft);
  const [problems, setProblems] = useState<FormProblems>({});
  const [notice, setNotice] = useState('');
  const [draftState, setDraftState] = useState<'loading' | 'restored' | 'idle' | 'pending' | 'saved'>('loading');
  const [match, setMatch] = useState<Patient | null | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const simulator = info.demo ? simulatorOf(api) : undefined;

  // Restore the draft once; from then on every change is written back after a short pause.
  useEffect(() => {
    let cancelled = false;
    void repo.drafts.get<RegistrationDraft>(DRAFT_KEY).then((stored) => {
      if (cancelled) return;
      if (stored && !isEmptyDraft(stored)) {
        setDraft({ ...emptyDraft(), ...stored });
        setDraftState('restored');
      } else setDraftState('idle');
    });
    return () => {
      cancelled = true;
    };
  }, [repo]);

  const draftLoaded = draftState !== 'loading';
  const firstWrite = useRef(true);
  const pendingDraftSave = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancelPendingDraftSave = () => {
    clearTimeout(pendingDraftSave.current);
    pendingDraftSave.current = undefined;
  };
  useEffect(() => {
    if (!draftLoaded) return;
    if (firstWrite.current) {
      firstWrite.current = false;
      return;
    }
    setDraftState('pending');
    pendingDraftSave.current = setTimeout(() => {
      pendingDraftSave.current = undefined;
      const write = isEmptyDraft(draft) ? repo.drafts.remove(DRAFT_KEY) : repo.drafts.set(DRAFT_KEY, draft);
      // A draft that could not be written is only a lost safety net: the form itself is intact.
      write.then(
        () => setDraftState((s) => (s === 'pending' ? 'saved' : s)),
        () => setDraftState((s) => (s === 'pending' ? 'idle' : s)),
      );
    }, DRAFT_SAVE_DELAY_MS);
    return cancelPendingDraftSave;
  }, [draft, draftLoaded, repo]);

  const update = useCallback((next: RegistrationDraft) => {
    setDraft(next);
    setProblems({});
    setOutcome(null);
  }, []);
  const updateRef = useRef(update);

  // After a card read the nurse's next step is 登记并排队: the submit button takes the focus, so Enter
  // (or F9) registers without reaching for the mouse.
  const submitButton = useRef<HTMLButtonElement>(null);
  const [form] = Form.useForm();
  const screenRef = useRef<HTMLElement>(null);
  const focusSubmit = () => setTimeout(() => submitButton.current?.focus(), 0);

  // Function keys for the desk's frequent actions, shown on screen (registration.shortcuts).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F9') form.submit();
      else if (e.key === 'F2') updateRef.current(emptyDraft());
      else if (e.key === 'F3') screenRef.current?.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [form]);

  // Device events: the agent is another process, so every payload is validated before use.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(
    () =>
      api.devices.subscribe((event: DeviceEvent) => {
        const current = draftRef.current;
        if (event.type === 'identity-document') {
          const parsed = identityDocumentJsonSchema.safeParse(event.document);
          if (!parsed.success) return setNotice(t('registration.cardRejected'));
          update(draftFromIdentityDocument(parsed.data, current));
          setNotice(isExpired(parsed.data) ? t('registration.cardExpired', { date: parsed.data.validity.to }) : '');
          focusSubmit();
        } else if (event.type === 'insurance-card') {
          const parsed = insuranceCardSchema.safeParse(event.card);
          if (!parsed.success) return setNotice(t('registration.cardRejected'));
          update(draftFromInsuranceCard(parsed.data, current));
          setNotice('');
          focusSubmit();
        } else if (event.type === 'scanned-code') {
          const parsed = scannedCodeSchema.safeParse(event.code);
          if (!parsed.success) return setNotice(t('registration.codeNotUnderstood'));
          const check = checkCitizenIdNumber(parsed.data.text);
          if (check.ok) {
            update(withFieldsFromIdNumber({ ...emptyDraft(), phone: current.phone, idNumber: check.idNumber, source: 'scanned-code' }));
            setNotice('');
            focusSubmit();
          } else if (parsed.data.symbology === 'medical-insurance-voucher') setNotice(t('registration.voucherScanned'));
          else setNotice(t('registration.codeNotUnderstood'));
        } else if (event.type === 'error' && (event.kind === 'id-card' || event.kind === 'insurance-card' || event.kind === 'barcode')) {
          setNotice(t('registration.deviceError', { message: inLanguage(i18n.language, event.error) }));
        }
      }),
    [api, t, i18n.language, update],
  );

  // Who is this? Looked up locally, never waiting for the network: a typed number once it settles,
  // a number from a card or a scan at once (it arrives whole; waiting would only delay the nurse).
  const currentNumber = draft.documentType === 'none' ? '' : draft.idNumber.trim();
  const typedNumber = useDebounced(currentNumber, 150);
  const settledNumber = draft.source === 'manual' ? typedNumber : currentNumber;
  useEffect(() => {
    if (settledNumber.length < 6) return setMatch(undefined);
    let cancelled = false;
    void records.findPatientByDocumentNumber(settledNumber).then((p) => !cancelled && setMatch(p ?? null));
    return () => {
      cancelled = true;
    };
  }, [records, settledNumber]);

  // One registration per press, however often it is pressed: a second Enter before the re-render
  // that disables the button must not register twice.
  const savingNow = useRef(false);
  const submit = async () => {
    if (savingNow.current) return;
    const found = validateRegistration(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    savingNow.current = true;
    setSaving(true);
    setOutcome(null);
    // The form is about to be registered: a draft save still waiting must not bring it back later.
    cancelPendingDraftSave();
    let registered: { patient: Patient; created: boolean } | undefined;
    try {
      registered = await records.registerPatient(toPatientFields(draft), { registration: registrationMethodOf(draft) });
      const { visit, alreadyQueued } = await records.queueVisit(registered.patient.id);
      // Patient and visit are stored: that is what the nurse is told, whatever becomes of the draft.
      firstWrite.current = true;
      setDraft(emptyDraft());
      setNotice('');
      setOutcome({ kind: 'saved', patient: registered.patient, visit, created: registered.created, alreadyQueued });
      repo.drafts.remove(DRAFT_KEY).then(
        () => setDraftState('idle'),
        () => setNotice(t('registration.draftNotCleared')),
      );
    } catch (error) {
      const message = errorMessage(i18n.language, error);
      setOutcome(registered ? { kind: 'not-queued', patient: registered.patient, created: registered.created, message } : { kind: 'failed', message });
    } finally {
      savingNow.current = false;
      setSaving(false);
    }
  };

  const problemText = (p: FieldProblem | undefined) => (!p ? '' : 'key' in p ? t(p.key, p.values) : inLanguage(i18n.language, p));
  const field = (name: keyof FormProblems) => ({
    id: `registration-${name}`,
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `problem-${name}` : undefined,
  });
  /** A labelled field; its problem shows beneath it in red, read out at once (antd's error list is no alert). */
  const item = (name: keyof FormProblems, children: ReactNode, className?: string) => (
    <Form.Item
      label={t(`registration.fields.${name}`)}
      htmlFor={`registration-${name}`}
      className={className}
      validateStatus={problems[name] ? 'error' : undefined}
      help={
        problems[name] ? (
          <span id={`problem-${name}`} role="alert">
            {problemText(problems[name])}
          </span>
        ) : undefined
      }
    >
      {children}
    </Form.Item>
  );
  const set = <K extends keyof RegistrationDraft>(key: K, value: RegistrationDraft[K]) => update({ ...draft, [key]: value });

  return (
    <section className="registration" aria-labelledby="screen-title" ref={screenRef}>
      <h2 id="screen-title">{t('registration.title')}</h2>
      <p className="muted">{t('registration.cardHint')}</p>
      <div className="two-columns">
        <Card size="small" className="registration-card">
          <Form form={form} layout="vertical" className="registration-form" onFinish={() => void submit()} noValidate data-draft-state={draftState}>
            <div className="form-source">
              <Tag color={draft.source === 'manual' ? 'default' : 'cyan'} data-testid="form-source">
                {t(`registration.sources.${draft.source}`)}
              </Tag>
              {draftState === 'restored' && <span className="muted">{t('registration.draftRestored')}</span>}
            </div>
            {notice && <Alert className="notice" type="warning" showIcon role="status" title={notice} />}
            <div className="form-grid">
              <div className="photo-box" role="img" aria-label={t('registration.photo')}>
                {draft.hasCardPhoto ? (
                  <span data-testid="photo-placeholder">{t('registration.photoPlaceholder')}</span>
                ) : (
                  <span className="muted">{t('registration.noPhoto')}</span>
                )}
              </div>
              {item(
                'documentType',
                <Select
                  id="registration-documentType"
                  value={draft.documentType}
                  onChange={(v) => set('documentType', v)}
                  popupMatchSelectWidth={false}
                  options={documentTypes.map((d) => ({ value: d, label: t(`registration.documentTypes.${d}`) }))}
                />,
              )}
              {item(
                'idNumber',
                <Input
                  value={draft.idNumber}
                  onChange={(e) => update(withFieldsFromIdNumber({ ...draft, idNumber: e.target.value.toUpperCase(), source: 'manual' }))}
                  disabled={draft.documentType === 'none'}
                  maxLength={32}
                  autoComplete="off"
                  className="mono"
                  {...field('idNumber')}
                />,
                'span-2',
              )}
              {match !== undefined && (
                <p className="match span-3" data-testid="patient-match" data-match={match ? 'existing' : 'new'}>
                  <Tag color={match ? 'green' : 'blue'}>{match ? t('registration.existingPatient', { name: match.name }) : t('registration.newPatient')}</Tag>
                </p>
              )}
              {item('name', <Input value={draft.name} onChange={(e) => set('name', e.target.value)} maxLength={64} {...field('name')} />)}
              {item(
                'sex',
                <Select
                  {...field('sex')}
                  value={draft.sex}
                  onChange={(v) => set('sex', v)}
                  options={(['1', '2', '0', '9'] as const).map((s) => ({ value: s, label: t(`registration.sex.${s}`) }))}
                />,
              )}
              {item(
                'birthDate',
                // YYYY-MM-DD, the one date format of the app, typed or picked; never a future date.
                <DatePicker
                  {...field('birthDate')}
                  className="full-width"
                  format={DATE_FORMAT}
                  placeholder={DATE_FORMAT}
                  value={asDay(draft.birthDate)}
                  onChange={(day) => set('birthDate', day ? day.format(DATE_FORMAT) : '')}
                  disabledDate={(day) => day.isAfter(dayjs(), 'day')}
                  inputReadOnly={false}
                  allowClear={false}
                />,
              )}
              {item(
                'nationCode',
                <Select
                  id="registration-nationCode"
                  value={draft.nationCode}
                  onChange={(v) => set('nationCode', v)}
                  showSearch={{ optionFilterProp: 'label' }}
                  // 汉族 (01) first: nationCodeList is in code order, as GB/T 3304 numbers them.
                  options={[...nationCodeList.map((c) => ({ value: c as string, label: nationName(c) })), { value: '', label: t('registration.nationUnknown') }]}
                />,
              )}
              {item('phone', <Input value={draft.phone} inputMode="tel" onChange={(e) => set('phone', e.target.value.trim())} maxLength={20} {...field('phone')} />)}
              {item(
                'insuranceCardNumber',
                <Input value={draft.insuranceCardNumber} onChange={(e) => set('insuranceCardNumber', e.target.value)} maxLength={32} id="registration-insuranceCardNumber" />,
              )}
              {item('address', <Input value={draft.address} onChange={(e) => set('address', e.target.value)} maxLength={200} {...field('address')} />, 'span-3')}
            </div>
            {problems.form && <Alert type="error" showIcon title={problemText(problems.form)} />}
            <Space className="actions" wrap>
              <Button ref={submitButton} type="primary" htmlType="submit" disabled={saving} aria-keyshortcuts="F9">
                {saving ? t('registration.saving') : t('registration.registerAndQueue')}
              </Button>
              <Button onClick={() => update(emptyDraft())} disabled={saving} aria-keyshortcuts="F2">
                {t('registration.clear')}
              </Button>
              <span className="muted shortcuts">{t('registration.shortcuts')}</span>
            </Space>
            <div role="status" data-testid="registration-outcome">
              {outcome?.kind === 'saved' && (
                <Alert
                  type="success"
                  showIcon
                  role="none"
                  data-outcome="saved"
                  title={
                    <>
                      {outcome.alreadyQueued
                        ? t('registration.alreadyQueued', { number: outcome.visit.queueNumber })
                        : t('registration.saved', { name: outcome.patient.name, number: outcome.visit.queueNumber })}
                      {/* Chinese sentences follow each other without a space; English ones need one. */}
                      {i18n.language.startsWith('en') ? ' ' : ''}
                      {outcome.created ? t('registration.patientCreated') : t('registration.patientMatched')}
                    </>
                  }
                />
              )}
              {outcome?.kind === 'not-queued' && (
                <Alert
                  type="error"
                  showIcon
                  role="none"
                  data-outcome="not-queued"
                  title={t(outcome.created ? 'registration.patientCreatedNotQueued' : 'registration.patientFoundNotQueued', { name: outcome.patient.name, message: outcome.message })}
                />
              )}
              {outcome?.kind === 'failed' && <Alert type="error" showIcon role="none" data-outcome="failed" title={t('registration.saveFailed', { message: outcome.message })} />}
            </div>
          </Form>
        </Card>
        <div className="side-column">
          {outcome?.kind === 'saved' && <QueueTicket patient={outcome.patient} visit={outcome.visit} />}
          <PatientSearch
            onPick={(p) => {
              update(draftFromPatient(p));
              setNotice('');
            }}
          />
          {simulator && <DemoCardPanel simulator={simulator} />}
        </div>
      </div>
    </section>
  );
}
