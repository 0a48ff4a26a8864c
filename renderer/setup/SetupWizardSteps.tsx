/**
 * First-run wizard (首次运行向导): county hub address → enrolment with the one-time code → printer
 * and device assignments (list ports, auto-detect, configure). The printer list comes from the
 * desktop app (WorkstationApi.printing); in browser mode only the system default is offered. Each step validates before it moves on and shows
 * failures in the UI language; enrolment may be skipped (the workstation works offline and enrols
 * later). What it gathered goes to onComplete; where it is kept is the caller's business.
 */
import { Alert, Button, Form, Input, Space, Spin, Steps } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import './setup.css';
import { enrolWorkstation, parseHubUrl, type Enrolment, type FetchLike } from '../../services/setup/setup-model.ts';
import type { SetupWizardProps } from './SetupWizard.tsx';

/** The device step with its table and selects, loaded when the wizard reaches it. */
const DevicesStep = lazy(() => import('./DevicesStep.tsx').then((m) => ({ default: m.DevicesStep })));

type Step = 'hub' | 'enrol' | 'devices';

/** The wizard itself; SetupWizard.tsx loads it when first shown. */
export function SetupWizardSteps({ initialHubUrl = '', initialPrinterName = null, allowSkipEnrolment = true, fetchImpl, onComplete }: SetupWizardProps) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('hub');
  const [hubUrl, setHubUrl] = useState(initialHubUrl);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const steps: Step[] = ['hub', 'enrol', 'devices'];

  return (
    <section className="setup-wizard" aria-labelledby="setup-title">
      <h2 id="setup-title" className="setup-title">
        {t('setup.title')}
      </h2>
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
        <Suspense fallback={<Spin />}>
          <DevicesStep
            initialPrinterName={initialPrinterName}
            onBack={() => setStep('enrol')}
            onDone={(assignments, printerName) => onComplete({ hubUrl, enrolment, assignments, printerName })}
          />
        </Suspense>
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
        <Button type="primary" htmlType="submit" disabled={busy}>
          {t('setup.enrol.submit')}
        </Button>
        {allowSkip && <Button onClick={() => onNext(null)}>{t('setup.enrol.skip')}</Button>}
      </Space>
    </Form>
  );
}

