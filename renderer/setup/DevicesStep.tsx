/**
 * The first-run wizard's last step (设备): the printer, and which serial port and baud rate each
 * device kind uses (list ports, auto-detect, configure through the device agent). Its own module,
 * loaded when the step opens: its table and selects are not needed to show the sign-in screen.
 */
import { Alert, Button, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceAssignment, PortInfo, PrinterInfo } from '../../core/contract/workstation-api.ts';
import type { DeviceKind } from '../../core/contract/device-assignment.ts';
import { errorMessage } from '../app/messages.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';
import { applyDetection, assignmentsFrom, baudRates, choicesFrom, conflictingKinds, setupDeviceKinds, type DeviceChoices } from '../../services/setup/setup-model.ts';

export function DevicesStep({
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
