/**
 * Paper speed (mm/s) and gain (mm/mV) pickers: the two settings every ECG tracing view offers —
 * the clinic's live view and the reading room's viewer alike.
 */
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { gainsMmPerMv, paperSpeedsMmPerS } from './paper-grid.ts';

export function PaperScaleControls({ speed, gain, onSpeed, onGain }: { speed: number; gain: number; onSpeed(mmPerS: number): void; onGain(mmPerMv: number): void }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="ecg-field">
        <span>{t('ecg.speed')}</span>
        <Select<number> aria-label={t('ecg.speed')} virtual={false} popupMatchSelectWidth={false} value={speed} onChange={onSpeed} options={paperSpeedsMmPerS.map((s) => ({ value: s, label: `${s} mm/s` }))} />
      </label>
      <label className="ecg-field">
        <span>{t('ecg.gain')}</span>
        <Select<number> aria-label={t('ecg.gain')} virtual={false} popupMatchSelectWidth={false} value={gain} onChange={onGain} options={gainsMmPerMv.map((g) => ({ value: g, label: `${g} mm/mV` }))} />
      </label>
    </>
  );
}
