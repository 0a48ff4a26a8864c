import { useTranslation } from 'react-i18next';
import type { EcgMeasurements } from '../../core/ecg/signal/index.ts';
import { inLanguage } from '../app/messages.ts';

const round = (v: number | null) => (v === null ? null : Math.round(v));

/** HR, PR, QRS, QT, QTc (Bazett and Fridericia), axis; then the machine hints, labelled as such. */
export function MeasurementsTable({ measurements: m, testIds = false }: { measurements: EcgMeasurements; testIds?: boolean }) {
  const { t, i18n } = useTranslation();
  const rows: [string, number | null, string][] = [
    ['heartRate', round(m.heartRateBpm), t('ecg.units.bpm')],
    ['pr', round(m.prIntervalMs), 'ms'],
    ['qrs', round(m.qrsDurationMs), 'ms'],
    ['qt', round(m.qtIntervalMs), 'ms'],
    ['qtcBazett', round(m.qtcBazettMs), 'ms'],
    ['qtcFridericia', round(m.qtcFridericiaMs), 'ms'],
    ['axis', round(m.qrsAxisDeg), '°'],
  ];
  return (
    <div className="ecg-measurements">
      <table data-testid={testIds ? 'ecg-measurements' : undefined}>
        <tbody>
          {rows.map(([key, value, unit]) => (
            <tr key={key} data-measure={key}>
              <th scope="row">{t(`ecg.measure.${key}`)}</th>
              <td>{value === null ? t('ecg.notMeasured') : `${value} ${unit}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.excludedLeads.length > 0 && <p className="muted">{t('ecg.excludedLeads', { leads: m.excludedLeads.map((l) => l.lead).join(', ') })}</p>}
      <section className="ecg-hints" aria-label={t('ecg.hintsTitle')} data-testid={testIds ? 'ecg-hints' : undefined}>
        <h4>{t('ecg.hintsTitle')}</h4>
        {m.hints.length === 0 ? (
          <p className="muted">{t('ecg.noHints')}</p>
        ) : (
          <ul>
            {m.hints.map((h, i) => (
              <li key={`${h.code}-${i}`} data-severity={h.severity}>
                {inLanguage(i18n.language, h)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
