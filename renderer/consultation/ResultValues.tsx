/**
 * Result values as the doctor reads them, on every screen that shows a result: value and unit
 * typeset by core's displayResultValue (7.2 ×10⁹/L, never "7.210*9/L"), the reference range, and a
 * coloured arrow with a word for H/L (偏高/偏低) so a flag is not read as part of the number.
 */
import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
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
  const rows = values.map((v) => ({ key: v.code, shown: displayResultValue(v) }));
  const columns: ColumnsType<(typeof rows)[number]> = [
    { key: 'name', title: t('result.name'), render: (_, { shown }) => shown.name },
    { key: 'value', title: t('result.value'), className: 'result-number', render: (_, { shown }) => shown.value },
    { key: 'flag', title: t('result.flagColumn'), render: (_, { shown }) => <Flag shown={shown} /> },
    { key: 'unit', title: t('result.unit'), render: (_, { shown }) => shown.unit },
    { key: 'range', title: t('result.range'), className: 'muted', render: (_, { shown }) => shown.range.text },
  ];
  return (
    <Table
      size="small"
      className="result-values"
      pagination={false}
      columns={columns}
      dataSource={rows}
      rowClassName={({ shown }) => (shown.flag === '' ? '' : 'result-abnormal')}
    />
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
