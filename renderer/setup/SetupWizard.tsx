/**
 * First-run wizard (首次运行向导): county hub address → enrolment with the one-time code → printer
 * and device assignments (list ports, auto-detect, configure). The printer list comes from the
 * desktop app (WorkstationApi.printing); in browser mode only the system default is offered. Each step validates before it moves on and shows
 * failures in the UI language; enrolment may be skipped (the workstation works offline and enrols
 * later). What it gathered goes to onComplete; where it is kept is the caller's business.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceAssignment, PortInfo, PrinterInfo } from '../../core/contract/workstation-api.ts';
import { errorMessage } from '../app/messages.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';
import {
  applyDetection,
  assignmentsFrom,
  baudRates,
  choicesFrom,
  conflictingKinds,
  enrolWorkstation,
  parseHubUrl,
  setupDeviceKinds,
  type DeviceChoices,
  type Enrolment,
  type FetchLike,
} from '../../services/setup/setup-model.ts';

export interface SetupResult {
  hubUrl: string;
  enrolment: Enrolment | null;
  assignments: DeviceAssignment[];
  /** The printer for tickets and reports; null: the system default (print dialog). */
  printerName: string | null;
}

export interface SetupWizardProps {
  initialHubUrl?: string;
  initialPrinterName?: string | null;
  /** Offer "enrol later" (the app itself needs an enrolment to sign anyone in, so it passes false). */
  allowSkipEnrolment?: boolean;
  fetchImpl?: FetchLike;
  onComplete(result: SetupResult): void;
}

type Step = 'hub' | 'enrol' | 'devices';

export function SetupWizard({ initialHubUrl = '', initialPrinterName = null, allowSkipEnrolment = true, fetchImpl, onComplete }: SetupWizardProps) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('hub');
  const [hubUrl, setHubUrl] = useState(initialHubUrl);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const steps: Step[] = ['hub', 'enrol', 'devices'];

  return (
    <section className="panel setup-wizard" aria-labelledby="setup-title">
      <h2 id="setup-title">{t('setup.title')}</h2>
      <ol className="setup-steps">
        {steps.map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined}>
            {t(`setup.steps.${s}`)}
          </li>
        ))}
      </ol>
      {step === 'hub' && (
        <HubStep
          value={hubUrl}
          onNext={(url) => {
            setHubUrl(url);
            setStep('enrol');
          }}
        />
      )}
      {step === 'enrol' && (
        <EnrolStep
          hubUrl={hubUrl}
          fetchImpl={fetchImpl}
          allowSkip={allowSkipEnrolment}
          onBack={() => setStep('hub')}
          onNext={(result) => {
            setEnrolment(result);
            setStep('devices');
          }}
        />
      )}
      {step === 'devices' && (
        <DevicesStep
          initialPrinterName={initialPrinterName}
          onBack={() => setStep('enrol')}
          onDone={(assignments, printerName) => onComplete({ hubUrl, enrolment, assignments, printerName })}
        />
      )}
    </section>
  );
}

function HubStep({ value, onNext }: { value: string; onNext(url: string): void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(value);
  const [problem, setProblem] = useState('');
  const next = () => {
    try {
      onNext(parseHubUrl(text));
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        next();
      }}
    >
      <label>
        {t('setup.hub.label')}
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="https://hub.example.cn" aria-invalid={problem !== ''} />
      </label>
      <p className="muted">{t('setup.hub.hint')}</p>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit">{t('setup.next')}</button>
    </form>
  );
}

function EnrolStep({
  hubUrl,
  fetchImpl,
  allowSkip,
  onBack,
  onNext,
}: {
  hubUrl: string;
  fetchImpl?: FetchLike | undefined;
  allowSkip: boolean;
  onBack(): void;
  onNext(enrolment: Enrolment | null): void;
}) {
  const { t, i18n } = useTranslation();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [enrolled, setEnrolled] = useState<Enrolment | null>(null);
  const enrol = async () => {
    setProblem('');
    setBusy(true);
    try {
      setEnrolled(await enrolWorkstation(hubUrl, code, fetchImpl));
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      setBusy(false);
    }
  };
  if (enrolled) {
    return (
      <div>
        <p role="status">{t('setup.enrol.done', { institution: enrolled.institution.name })}</p>
        <button type="button" onClick={() => onNext(enrolled)}>
          {t('setup.next')}
        </button>
      </div>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void enrol();
      }}
    >
      <label>
        {t('setup.enrol.label')}
        <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCD-EFGH-JKLM" autoComplete="off" aria-invalid={problem !== ''} />
      </label>
      <p className="muted">{t('setup.enrol.hint')}</p>
      {problem && <p role="alert">{problem}</p>}
      <button type="button" onClick={onBack}>
        {t('setup.back')}
      </button>
      <button type="submit" disabled={busy}>
        {t('setup.enrol.submit')}
      </button>
      {allowSkip && (
        <button type="button" onClick={() => onNext(null)}>
          {t('setup.enrol.skip')}
        </button>
      )}
    </form>
  );
}

function DevicesStep({
  initialPrinterName,
  onBack,
  onDone,
}: {
  initialPrinterName: string | null;
  onBack(): void;
  onDone(assignments: DeviceAssignment[], printerName: string | null): void;
}) {
  const { t, i18n } = useTranslation();
  const { api } = useWorkstation();
  const [ports, setPorts] = useState<PortInfo[]>([]);
  const [printers, setPrinters] = useState<PrinterInfo[]>([]);
  const [printerName, setPrinterName] = useState(initialPrinterName ?? '');
  const [choices, setChoices] = useState<DeviceChoices>(choicesFrom([]));
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.devices.listPorts(), api.devices.listAssignments()]).then(
      ([list, assignments]) => {
        if (cancelled) return;
        setPorts(list);
        setChoices(choicesFrom(assignments));
      },
      (error: unknown) => !cancelled && setProblem(errorMessage(i18n.language, error)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, i18n.language]);

  useEffect(() => {
    // Desktop app only; browser mode prints with the system dialog (the "system default" option).
    let cancelled = false;
    api.printing?.listPrinters().then(
      (list) => !cancelled && setPrinters(list),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const conflicts = conflictingKinds(choices);
  const autoDetect = api.devices.autoDetect?.bind(api.devices);

  const detect = async () => {
    if (!autoDetect) return;
    setProblem('');
    setBusy(true);
    try {
      const found = await autoDetect();
      setChoices((c) => applyDetection(c, found));
      if (found.length === 0) setProblem(t('setup.devices.nothingFound'));
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setProblem('');
    setBusy(true);
    try {
      const assignments = assignmentsFrom(choices);
      // One at a time: the agent restarts a driver per change and a port serves one device.
      for (const assignment of assignments) await api.devices.configure(assignment);
      onDone(assignments, printerName || null);
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <label>
        {t('setup.printer.label')}
        <select value={printerName} onChange={(e) => setPrinterName(e.target.value)}>
          <option value="">{t('setup.printer.systemDefault')}</option>
          {printers.map((p) => (
            <option key={p.name} value={p.name}>
              {p.displayName || p.name}
            </option>
          ))}
        </select>
      </label>
      <table className="setup-devices">
        <thead>
          <tr>
            <th>{t('setup.devices.device')}</th>
            <th>{t('setup.devices.port')}</th>
            <th>{t('setup.devices.baudRate')}</th>
          </tr>
        </thead>
        <tbody>
          {setupDeviceKinds.map((kind) => (
            <tr key={kind} aria-invalid={conflicts.includes(kind)}>
              <th scope="row">{t(`setup.devices.kinds.${kind}`)}</th>
              <td>
                <select
                  aria-label={t('setup.devices.portOf', { device: t(`setup.devices.kinds.${kind}`) })}
                  value={choices[kind].path}
                  onChange={(e) => setChoices({ ...choices, [kind]: { ...choices[kind], path: e.target.value } })}
                >
                  <option value="">{t('setup.devices.none')}</option>
                  {ports.map((p) => (
                    <option key={p.path} value={p.path}>
                      {p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  aria-label={t('setup.devices.baudRateOf', { device: t(`setup.devices.kinds.${kind}`) })}
                  value={choices[kind].baudRate}
                  onChange={(e) => setChoices({ ...choices, [kind]: { ...choices[kind], baudRate: Number(e.target.value) } })}
                >
                  {baudRates.map((rate) => (
                    <option key={rate} value={rate}>
                      {rate}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {conflicts.length > 0 && <p role="alert">{t('setup.devices.samePort')}</p>}
      {problem && <p role="alert">{problem}</p>}
      <button type="button" onClick={onBack}>
        {t('setup.back')}
      </button>
      {autoDetect && (
        <button type="button" onClick={() => void detect()} disabled={busy}>
          {t('setup.devices.autoDetect')}
        </button>
      )}
      <button type="button" onClick={() => void save()} disabled={busy || conflicts.length > 0}>
        {t('setup.finish')}
      </button>
    </div>
  );
}
