/**
 * Result values as the doctor reads them, on every screen that shows a result: value and unit
 * typeset by core's displayResultValue (7.2 ×10⁹/L, never "7.210*9/L"), the reference range, and a
 * coloured arrow with a word for H/L (偏高/偏低) so a flag is not read as part of the number.
 */
import { useTranslation } from 'react-i18next';
import { displayResultValue, flagSymbols, type ResultValue, type ResultValueDisplay } from '../../core/records/index.ts';

function Flag({ shown }: { shown: ResultValueDisplay }) {
  const { t } = useTranslation();
  if (shown.flag === '') return null;
  const label = t(`result.flag.${shown.flag}`);
  return (
    <span className={`result-flag result-flag-${shown.critical ? 'critical' : shown.flag === 'L' ? 'low' : 'high'}`} title={shown.flagDerived ? t('result.flagDerived') : label} aria-label={label}>
      {flagSymbols[shown.flag]} {label}
    </span>
  );
}

/** A table laid out as Chinese lab reports are: 项目 | 结果 | 提示 | 单位 | 参考范围. */
export function ResultValuesTable({ values }: { values: readonly ResultValue[] }) {
  const { t } = useTranslation();
  return (
    <table className="result-values">
      <thead>
        <tr>
          <th scope="col">{t('result.name')}</th>
          <th scope="col">{t('result.value')}</th>
          <th scope="col">{t('result.flagColumn')}</th>
          <th scope="col">{t('result.unit')}</th>
          <th scope="col">{t('result.range')}</th>
        </tr>
      </thead>
      <tbody>
        {values.map((v) => {
          const shown = displayResultValue(v);
          return (
            <tr key={v.code} className={shown.flag === '' ? undefined : 'result-abnormal'}>
              <td>{shown.name}</td>
              <td className="result-number">{shown.value}</td>
              <td>
                <Flag shown={shown} />
              </td>
              <td>{shown.unit}</td>
              <td className="muted">{shown.range.text}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One line per result for lists (history): 白细胞计数 7.2 ×10⁹/L ↑ 偏高（3.5–9.5），… */
export function ResultValuesInline({ values }: { values: readonly ResultValue[] }) {
  const { t } = useTranslation();
  return (
    <>
      {values.map((v, i) => {
        const shown = displayResultValue(v);
        return (
          <span key={v.code} className="result-inline" data-testid="result-value">
            {shown.name} <span className="result-number">{shown.valueWithUnit}</span>
            {shown.flag !== '' && (
              <>
                {' '}
                <Flag shown={shown} />
              </>
            )}
            {shown.range.text !== '' && <span className="muted">{t('result.rangeInline', { range: shown.range.text })}</span>}
            {i < values.length - 1 && '，'}
          </span>
        );
      })}
    </>
  );
}
