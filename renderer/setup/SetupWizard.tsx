/**
 * First-run wizard (首次运行向导): county hub address → enrolment with the one-time code → printer
 * and device assignments (list ports, auto-detect, configure). The printer list comes from the
 * desktop app (WorkstationApi.printing); in browser mode only the system default is offered. Each step validates before it moves on and shows
 * failures in the UI language; enrolment may be skipped (the workstation works offline and enrols
 * later). What it gathered goes to onComplete; where it is kept is the caller's business.
 */
import { Alert, Button, Form, Input, Select, Space, Steps, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceAssignment, PortInfo, PrinterInfo } from '../../core/contract/workstation-api.ts';
import type { DeviceKind } from '../../core/contract/device-assignment.ts';
import { errorMessage } from '../app/messages.ts';
import './setup.css';
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
    <section className="setup-wizard" aria-labelledby="setup-title">
      <Typography.Title level={2} id="setup-title" className="setup-title">
        {t('setup.title')}
      </Typography.Title>
      <Steps className="setup-steps" size="small" current={steps.indexOf(step)} items={steps.map((s) => ({ title: t(`setup.steps.${s}`) }))} />
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
  const [problem, setProblem] = useState('');
  const next = (text: string) => {
    try {
      onNext(parseHubUrl(text));
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    }
  };
  return (
    <Form<{ hubUrl?: string }> name="setup-hub" layout="vertical" requiredMark={false} initialValues={{ hubUrl: value }} onFinish={({ hubUrl = '' }) => next(hubUrl)}>
      <Form.Item name="hubUrl" label={t('setup.hub.label')} extra={t('setup.hub.hint')}>
        <Input placeholder="https://hub.example.cn" autoFocus aria-invalid={problem !== ''} />
      </Form.Item>
      {problem && <Alert className="setup-alert" type="error" showIcon title={problem} />}
      <Button type="primary" htmlType="submit">
        {t('setup.next')}
      </Button>
    </Form>
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
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [enrolled, setEnrolled] = useState<Enrolment | null>(null);
  const enrol = async (code: string) => {
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
        <Alert className="setup-alert" type="success" showIcon role="status" title={t('setup.enrol.done', { institution: enrolled.institution.name })} />
        <Button type="primary" onClick={() => onNext(enrolled)}>
          {t('setup.next')}
        </Button>
      </div>
    );
  }
  return (
    <Form<{ code?: string }> name="setup-enrol" layout="vertical" requiredMark={false} onFinish={({ code = '' }) => void enrol(code)}>
      <Form.Item name="code" label={t('setup.enrol.label')} extra={t('setup.enrol.hint')}>
        <Input placeholder="ABCD-EFGH-JKLM" autoComplete="off" autoFocus aria-invalid={problem !== ''} />
      </Form.Item>
      {problem && <Alert className="setup-alert" type="error" showIcon title={problem} />}
      <Space>
        <Button onClick={onBack}>{t('setup.back')}</Button>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('setup.enrol.submit')}
        </Button>
        {allowSkip && <Button onClick={() => onNext(null)}>{t('setup.enrol.skip')}</Button>}
      </Space>
    </Form>
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

  const portOptions = [{ value: '', label: t('setup.devices.none') }, ...ports.map((p) => ({ value: p.path, label: p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path }))];
  const columns: ColumnsType<DeviceKind> = [
    { key: 'device', title: t('setup.devices.device'), render: (_, kind) => t(`setup.devices.kinds.${kind}`) },
    {
      key: 'port',
      title: t('setup.devices.port'),
      render: (_, kind) => (
        <Select
          aria-label={t('setup.devices.portOf', { device: t(`setup.devices.kinds.${kind}`) })}
          className="setup-port"
          status={conflicts.includes(kind) ? 'error' : undefined}
          value={choices[kind].path}
          onChange={(path: string) => setChoices((c) => ({ ...c, [kind]: { ...c[kind], path } }))}
          options={portOptions}
        />
      ),
    },
    {
      key: 'baudRate',
      title: t('setup.devices.baudRate'),
      render: (_, kind) => (
        <Select
          aria-label={t('setup.devices.baudRateOf', { device: t(`setup.devices.kinds.${kind}`) })}
          className="setup-baud"
          value={choices[kind].baudRate}
          onChange={(baudRate: number) => setChoices((c) => ({ ...c, [kind]: { ...c[kind], baudRate } }))}
          options={baudRates.map((rate) => ({ value: rate, label: String(rate) }))}
        />
      ),
    },
  ];

  return (
    <div className="setup-devices-step">
      <div className="setup-printer">
        <span aria-hidden="true">{t('setup.printer.label')}</span>
        <Select
          aria-label={t('setup.printer.label')}
          className="setup-printer-choice"
          value={printerName}
          onChange={setPrinterName}
          options={[{ value: '', label: t('setup.printer.systemDefault') }, ...printers.map((p) => ({ value: p.name, label: p.displayName || p.name }))]}
        />
      </div>
      <Table<DeviceKind>
        className="setup-devices"
        size="small"
        rowKey={(kind) => kind}
        pagination={false}
        columns={columns}
        dataSource={[...setupDeviceKinds]}
        onRow={(kind) => ({ 'aria-invalid': conflicts.includes(kind) }) as HTMLAttributes<HTMLElement>}
      />
      {conflicts.length > 0 && <Alert className="setup-alert" type="error" showIcon title={t('setup.devices.samePort')} />}
      {problem && <Alert className="setup-alert" type="error" showIcon title={problem} />}
      <Space className="setup-actions">
        <Button onClick={onBack}>{t('setup.back')}</Button>
        {autoDetect && (
          <Button onClick={() => void detect()} disabled={busy}>
            {t('setup.devices.autoDetect')}
          </Button>
        )}
        <Button type="primary" onClick={() => void save()} disabled={busy || conflicts.length > 0}>
          {t('setup.finish')}
        </Button>
      </Space>
    </div>
  );
}
