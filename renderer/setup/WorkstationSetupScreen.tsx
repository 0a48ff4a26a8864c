/**
 * 工作站设置, for administrators: what this workstation is enrolled as, and the wizard again to move
 * it to another hub, enrol it anew, or change printer and devices. A new enrolment changes whose
 * records this PC keeps, so the app reloads after saving (the login screen comes back).
 */
import { Alert, Button, Descriptions } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';
import { workstationSettingsStore, type StoredWorkstationSettings } from '../../services/session/workstation-settings.ts';
import { SetupWizard } from './SetupWizard.tsx';

export function WorkstationSetupScreen({ reload = () => window.location.reload() }: { reload?: () => void }) {
  const { t, i18n } = useTranslation();
  const { api, info } = useWorkstation();
  const store = useMemo(() => workstationSettingsStore(api, info), [api, info]);
  const [settings, setSettings] = useState<StoredWorkstationSettings | null>(null);
  const [rerun, setRerun] = useState(false);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    let cancelled = false;
    store.load().then(
      (loaded) => !cancelled && setSettings(loaded),
      (error: unknown) => !cancelled && setNotice(errorMessage(i18n.language, error)),
    );
    return () => {
      cancelled = true;
    };
  }, [store, i18n.language]);

  return (
    <section aria-labelledby="screen-title">
      <h2 id="screen-title">{t('nav.setup')}</h2>
      {notice && <Alert className="setup-alert" type="info" showIcon role="status" title={notice} />}
      {settings && (
        <Descriptions
          className="setup-current"
          size="small"
          bordered
          column={1}
          items={[
            { key: 'hub', label: t('setup.current.hub'), children: settings.hubUrl || info.hubUrl },
            { key: 'institution', label: t('setup.current.institution'), children: settings.enrolment?.institution.name ?? '—' },
            { key: 'workstation', label: t('setup.current.workstation'), children: settings.enrolment?.workstationId ?? '—' },
            { key: 'printer', label: t('setup.current.printer'), children: settings.printerName ?? t('setup.printer.systemDefault') },
          ]}
        />
      )}
      {store.kind === 'demo' && <p className="muted">{t('setup.current.demoNote')}</p>}
      {!rerun ? (
        <Button type="primary" onClick={() => setRerun(true)} disabled={!settings}>
          {t('setup.current.rerun')}
        </Button>
      ) : (
        settings && (
          <SetupWizard
            initialHubUrl={settings.hubUrl || info.hubUrl}
            initialPrinterName={settings.printerName}
            // Demo: the enrolment is fixed (demoSettingsStore), so only printer and devices matter.
            allowSkipEnrolment={store.kind === 'demo'}
            onComplete={(result) => {
              store.save({ hubUrl: result.hubUrl, enrolment: result.enrolment, printerName: result.printerName }).then(
                () => {
                  setNotice(t('setup.current.saved'));
                  reload();
                },
                (error: unknown) => setNotice(t('setup.saveFailed', { message: errorMessage(i18n.language, error) })),
              );
            }}
          />
        )
      )}
    </section>
  );
}
