/**
 * The ECG screen (心电检查): choose the patient's visit, connect the acquisition device, watch the
 * live 12 leads and the electrodes, record 10 seconds, review and save it to the visit, print.
 */
import { Alert, Button, Checkbox, Select, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { electrodes } from '../../core/ecg/synthesis/noise.ts';
import { rhythms } from '../../core/ecg/synthesis/rhythm.ts';
import { measureEcg, type EcgMeasurements } from '../../core/ecg/signal/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { isFinalVisitStatus, type Patient, type Visit } from '../../core/records/index.ts';
import { errorMessage } from '../app/messages.ts';
import { useWorkstation } from '../app/WorkstationContext.tsx';
import { todayIso } from '../../services/records/clinic-records.ts';
import { useClinic, useCollectionVersion } from '../records/ClinicContext.tsx';
import type { EcgElectrode, EcgSampleRateHz, SimulatedEcgRhythm, WorkstationApi } from './device-types.ts';
import { EcgReview } from './EcgReview.tsx';
import { LiveView } from './LiveView.tsx';
import { PaperScaleControls } from './PaperScaleControls.tsx';
import { useEcgDevice } from './use-ecg-device.ts';
import type { OpenedEcg } from './open-file.ts';
import { OpenedEcgReview } from './OpenedEcgReview.tsx';
import { SentStudies } from './remote/SentStudies.tsx';
import './ecg.css';

const sampleRates: EcgSampleRateHz[] = [250, 500, 1000];

/** The device's connection as a tag: grey when not connected, blue connecting, green streaming, red absent. */
const connectionColours = { disconnected: 'default', connecting: 'processing', streaming: 'success', unavailable: 'error' } as const;

interface DemoEcgControls {
  setEcgRhythm(rhythm: SimulatedEcgRhythm): Promise<void>;
  setEcgLeadOff(electrodes: EcgElectrode[]): Promise<void>;
}

/** The demo agent's ECG simulator controls, when this workstation has them. */
const demoEcgOf = (api: WorkstationApi): DemoEcgControls | undefined => {
  const s = (api as { simulator?: Partial<DemoEcgControls> }).simulator ?? api.devices.simulator;
  return s?.setEcgRhythm && s.setEcgLeadOff ? (s as DemoEcgControls) : undefined;
};

export function EcgScreen({
  openedFile = null,
  onCloseOpenedFile = () => undefined,
}: {
  /** An ECG file opened from the OS (open-file.ts): shown read-only in place of the live view. */
  openedFile?: OpenedEcg | null;
  onCloseOpenedFile?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { api, info } = useWorkstation();
  const { repo, session } = useClinic();
  const version = useCollectionVersion('visits', 'patients');
  const device = useEcgDevice(api);
  const { state } = device;
  const demo = info.demo ? demoEcgOf(api) : undefined;

  const [visits, setVisits] = useState<{ visit: Visit; patient: Patient }[]>([]);
  const [visitId, setVisitId] = useState('');
  const [speed, setSpeed] = useState<number>(25);
  const [gain, setGain] = useState<number>(10);
  const [rate, setRate] = useState<EcgSampleRateHz>(500);
  const [rhythm, setRhythm] = useState<SimulatedEcgRhythm>('normal-sinus');
  /** The electrodes the demo panel asked the simulator to detach (the device reports them back). */
  const [demoOff, setDemoOff] = useState<EcgElectrode[]>([]);
  /** A demo change restarts the simulated device; the controls wait for it. */
  const [demoBusy, setDemoBusy] = useState(false);
  const changeDemo = (change: () => Promise<void>) => {
    setDemoBusy(true);
    change()
      .catch((error: unknown) => setCaptureError(errorMessage(i18n.language, error)))
      .finally(() => setDemoBusy(false));
  };
  const [review, setReview] = useState<{ recording: EcgRecording; measurements: EcgMeasurements } | null>(null);
  const [captureError, setCaptureError] = useState<string | null>(null);
  const [width, setWidth] = useState(1100);
  const liveBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const today = (await repo.visitsOn(todayIso())).filter((v) => v.institutionId === session.institutionId && !isFinalVisitStatus(v.status));
      const withPatients = await Promise.all(today.map(async (visit) => ({ visit, patient: await repo.get('patients', visit.patientId) })));
      if (cancelled) return;
      setVisits(withPatients.filter((v): v is { visit: Visit; patient: Patient } => v.patient !== undefined).sort((a, b) => a.visit.queueNumber - b.visit.queueNumber));
    })();
    return () => void (cancelled = true);
  }, [repo, session, version]);

  useEffect(() => {
    const measure = () => setWidth(Math.max(600, Math.floor(liveBox.current?.clientWidth || 1100)));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);

  const selected = useMemo(() => visits.find((v) => v.visit.id === visitId), [visits, visitId]);

  const capture = useCallback(async () => {
    setCaptureError(null);
    try {
      const recording = await device.record(10);
      setReview({ recording, measurements: measureEcg(recording) });
    } catch (error) {
      setCaptureError(errorMessage(i18n.language, error));
    }
  }, [device, i18n.language]);

  // A new recording's review replaces the live view: show it from the top, where its actions are
  // laid out to fit a 1366×768 screen, wherever the page was scrolled for the live view.
  const reviewing = review !== null;
  useEffect(() => {
    if (reviewing) window.scrollTo?.({ top: 0 });
  }, [reviewing]);

  const streaming = state.connection === 'streaming';
  const recording = state.capture !== null;

  return (
    <section className="ecg-screen" aria-labelledby="screen-title">
      <h2 id="screen-title">{t('nav.ecg')}</h2>
      <div className="ecg-toolbar">
        <label className="ecg-field">
          <span>{t('ecg.visit')}</span>
          <Select
            aria-label={t('ecg.visit')}
            className="ecg-visit-select"
            virtual={false}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('ecg.chooseVisit')}
            value={visitId || undefined}
            onChange={(id: string) => setVisitId(id)}
            disabled={review !== null}
            options={visits.map(({ visit, patient }) => ({ value: visit.id, label: t('ecg.visitOption', { number: visit.queueNumber, name: patient.name }) }))}
          />
        </label>
        <label className="ecg-field">
          <span>{t('ecg.sampleRate')}</span>
          <Select<EcgSampleRateHz>
            aria-label={t('ecg.sampleRate')}
            virtual={false}
            popupMatchSelectWidth={false}
            value={rate}
            disabled={streaming || state.connection === 'connecting'}
            onChange={setRate}
            options={sampleRates.map((r) => ({ value: r, label: `${r} Hz` }))}
          />
        </label>
        {streaming ? (
          <Button onClick={() => void device.disconnect()}>{t('ecg.disconnect')}</Button>
        ) : (
          <Button disabled={state.connection !== 'disconnected'} loading={state.connection === 'connecting'} onClick={() => void device.connect(rate)}>
            {state.connection === 'connecting' ? t('ecg.connecting') : t('ecg.connect')}
          </Button>
        )}
        {/* 采集 sits in the toolbar, above the live view: at 1366×768 a button under the six rows of
            live tracing would be below the fold (issue 14 item 5). */}
        {!openedFile && !review && (
          <span className="ecg-capture">
            <Button type="primary" disabled={!streaming || recording || !selected || state.electrodesOff.length > 0} onClick={() => void capture()}>
              {recording ? t('ecg.recording', { elapsed: state.capture!.elapsed, seconds: state.capture!.seconds }) : t('ecg.capture')}
            </Button>
            {!selected && <span className="muted">{t('ecg.chooseVisitFirst')}</span>}
            {state.electrodesOff.length > 0 && <span className="muted">{t('ecg.fixElectrodesFirst')}</span>}
          </span>
        )}
        <PaperScaleControls speed={speed} gain={gain} onSpeed={setSpeed} onGain={setGain} />
        <Tag color={connectionColours[state.connection]} data-testid="ecg-connection" data-state={state.connection}>
          {t(`ecg.connection.${state.connection}`)}
        </Tag>
      </div>

      {state.error && <Alert type="error" showIcon role="alert" className="ecg-alert" title={errorMessage(i18n.language, state.error)} />}

      {openedFile ? (
        <OpenedEcgReview opened={openedFile} speedMmPerS={speed} gainMmPerMv={gain} onClose={onCloseOpenedFile} />
      ) : review && selected ? (
        <EcgReview
          recording={review.recording}
          measurements={review.measurements}
          visit={selected.visit}
          patient={selected.patient}
          speedMmPerS={speed}
          gainMmPerMv={gain}
          onSaved={() => undefined}
          onDiscard={() => setReview(null)}
        />
      ) : (
        <>
          <div className="ecg-status-row">
            <ul className="ecg-electrodes" aria-label={t('ecg.electrodes')} data-testid="ecg-electrodes">
              {electrodes.map((e) => {
                const off = state.electrodesOff.includes(e);
                return (
                  <li key={e} data-electrode={e} data-off={off} className={off ? 'off' : 'on'}>
                    <Tag color={off ? 'error' : streaming ? 'success' : 'default'}>
                      {e} {off ? t('ecg.electrodeOff') : streaming ? t('ecg.electrodeOn') : ''}
                    </Tag>
                  </li>
                );
              })}
            </ul>
            {state.lostPackets > 0 && (
              <Tag color="warning" role="status" data-testid="ecg-lost-packets">
                {t('ecg.packetsLost', { count: state.lostPackets })}
              </Tag>
            )}
          </div>
          <div ref={liveBox} className="ecg-live-box">
            <LiveView buffer={device.buffer} format={device.format} speedMmPerS={speed} gainMmPerMv={gain} widthPx={width} label={t('ecg.liveLabel')} />
          </div>
          {captureError && <Alert type="error" showIcon role="alert" className="ecg-alert" data-testid="ecg-capture-error" title={captureError} />}
          {demo && (
            <fieldset className="ecg-demo">
              <legend>{t('ecg.demoTitle')}</legend>
              <label className="ecg-field-inline">
                <span>{t('ecg.demoRhythm')}</span>
                <Select<SimulatedEcgRhythm>
                  aria-label={t('ecg.demoRhythm')}
                  virtual={false}
                  popupMatchSelectWidth={false}
                  value={rhythm}
                  disabled={demoBusy || recording}
                  onChange={(next) => {
                    setRhythm(next);
                    changeDemo(() => demo.setEcgRhythm(next));
                  }}
                  options={rhythms.map((r) => ({ value: r, label: t(`ecg.rhythms.${r}`) }))}
                />
              </label>
              <span>{t('ecg.demoLeadOff')}</span>
              {electrodes.map((e) => (
                <Checkbox
                  key={e}
                  checked={demoOff.includes(e)}
                  disabled={demoBusy}
                  onChange={(ev) => {
                    const next = ev.target.checked ? [...demoOff, e] : demoOff.filter((x) => x !== e);
                    setDemoOff(next);
                    changeDemo(() => demo.setEcgLeadOff(next));
                  }}
                >
                  {e}
                </Checkbox>
              ))}
            </fieldset>
          )}
          <SentStudies />
        </>
      )}
    </section>
  );
}
