/**
 * Paper speed (mm/s) and gain (mm/mV) pickers: the two settings every ECG tracing view offers —
 * the clinic's live view and the reading room's viewer alike.
 */
import { useTranslation } from 'react-i18next';
import { gainsMmPerMv, paperSpeedsMmPerS } from './paper-grid.ts';

export function PaperScaleControls({ speed, gain, onSpeed, onGain }: { speed: number; gain: number; onSpeed(mmPerS: number): void; onGain(mmPerMv: number): void }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('ecg.speed')}
        <select value={speed} onChange={(e) => onSpeed(Number(e.target.value))}>
          {paperSpeedsMmPerS.map((s) => (
            <option key={s} value={s}>
              {s} mm/s
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ecg.gain')}
        <select value={gain} onChange={(e) => onGain(Number(e.target.value))}>
          {gainsMmPerMv.map((g) => (
            <option key={g} value={g}>
              {g} mm/mV
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
