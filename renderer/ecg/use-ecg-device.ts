/**
 * The ECG device as the screens see it: connect/disconnect through WorkstationApi's ecg controls,
 * electrodes off, packets lost, and the samples. Samples go straight into a ring buffer (and into a
 * running capture) without touching React state; only rare events (status, lead-off, lost packets,
 * each second of a capture) re-render.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceEvent, EcgElectrode, EcgSampleRateHz, SerializedDeviceErrorLike, WorkstationApi } from './device-types.ts';
import { standardLeads, type EcgRecording } from '../../core/ecg/recording.ts';
import { CaptureError, EcgCapture } from '../../core/ecg/capture.ts';
import { LeadRingBuffer } from './ring-buffer.ts';

/** Seconds of every lead the live view keeps: more than the widest screen shows at 12.5 mm/s. */
const LIVE_SECONDS = 20;

export type EcgConnection = 'disconnected' | 'connecting' | 'streaming' | 'unavailable';

export interface LiveFormat {
  sampleRateHz: number;
  resolutionUv: number;
}

export interface EcgDeviceState {
  connection: EcgConnection;
  electrodesOff: EcgElectrode[];
  lostPackets: number;
  error: SerializedDeviceErrorLike | Error | null;
  capture: { seconds: number; elapsed: number } | null;
}

export function useEcgDevice(api: WorkstationApi) {
  const [state, setState] = useState<EcgDeviceState>({
    connection: api.devices.ecg ? 'disconnected' : 'unavailable',
    electrodesOff: [],
    lostPackets: 0,
    error: null,
    capture: null,
  });
  const buffer = useRef<LeadRingBuffer | null>(null);
  const format = useRef<LiveFormat | null>(null);
  const capture = useRef<{ capture: EcgCapture; resolve(r: EcgRecording): void; reject(e: CaptureError): void } | null>(null);
  const lastSecond = useRef(-1);

  const onEvent = useCallback((event: DeviceEvent) => {
    switch (event.type) {
      case 'ecg-samples': {
        if (!format.current || format.current.sampleRateHz !== event.sampleRateHz) {
          buffer.current = new LeadRingBuffer(standardLeads, LIVE_SECONDS * event.sampleRateHz);
        }
        format.current = { sampleRateHz: event.sampleRateHz, resolutionUv: event.resolutionUv };
        buffer.current!.write(event.firstSampleIndex, event.leads);
        break;
      }
      case 'ecg-lead-off':
        setState((s) => ({ ...s, electrodesOff: event.electrodes as EcgElectrode[] }));
        break;
      case 'ecg-packets-lost':
        setState((s) => ({ ...s, lostPackets: s.lostPackets + event.count }));
        break;
      case 'status':
        if (event.kind !== 'ecg') return;
        if (event.status === 'reading') setState((s) => ({ ...s, connection: 'streaming', error: null }));
        else if (event.status === 'disconnected' || event.status === 'ready') setState((s) => (s.connection === 'connecting' ? s : { ...s, connection: 'disconnected' }));
        else if (event.status === 'error') setState((s) => ({ ...s, connection: 'disconnected', error: event.error ?? null }));
        break;
      case 'error':
        if (event.kind === 'ecg') setState((s) => ({ ...s, error: event.error }));
        break;
      default:
        return;
    }
    const running = capture.current;
    if (!running) return;
    const progress = running.capture.push(event);
    if (progress.state === 'recording') {
      const second = Math.floor(progress.samples / (format.current?.sampleRateHz ?? 500));
      if (second !== lastSecond.current) {
        lastSecond.current = second;
        setState((s) => ({ ...s, capture: { seconds: running.capture.seconds, elapsed: second } }));
      }
      return;
    }
    capture.current = null;
    setState((s) => ({ ...s, capture: null }));
    if (progress.state === 'done') running.resolve(progress.recording);
    else running.reject(progress.error);
  }, []);

  useEffect(() => api.devices.subscribe(onEvent), [api, onEvent]);

  // Leaving the screen stops a stream this screen started: 500 packets a second for nobody is waste.
  const streaming = useRef(false);
  streaming.current = state.connection === 'streaming';
  useEffect(() => () => void (streaming.current && api.devices.ecg?.stop().catch(() => undefined)), [api]);

  const connect = useCallback(
    async (sampleRateHz?: EcgSampleRateHz) => {
      if (!api.devices.ecg) return;
      setState((s) => ({ ...s, connection: 'connecting', error: null, lostPackets: 0 }));
      format.current = null; // a new stream counts its samples from 0 again
      try {
        await api.devices.ecg.start(sampleRateHz === undefined ? {} : { sampleRateHz });
        setState((s) => ({ ...s, connection: 'streaming' }));
      } catch (error) {
        setState((s) => ({ ...s, connection: 'disconnected', error: error as Error }));
      }
    },
    [api],
  );

  const disconnect = useCallback(async () => {
    capture.current?.reject(new CaptureError('stopped'));
    capture.current = null;
    try {
      await api.devices.ecg?.stop();
    } finally {
      setState((s) => ({ ...s, connection: 'disconnected', capture: null, electrodesOff: [] }));
    }
  }, [api]);

  /** Records the next `seconds` of the stream. */
  const record = useCallback((seconds = 10): Promise<EcgRecording> => {
    if (capture.current) return Promise.reject(new Error('A capture is already running'));
    lastSecond.current = 0;
    setState((s) => ({ ...s, capture: { seconds, elapsed: 0 } }));
    return new Promise((resolve, reject) => {
      capture.current = { capture: new EcgCapture(seconds), resolve, reject };
    });
  }, []);

  return { state, buffer, format, connect, disconnect, record };
}
