import { AutoComplete } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { icd10Diagnoses, searchDiagnoses, type CatalogItem, type DiagnosisPatient, type Icd10Diagnosis } from '../../core/catalog/index.ts';
import { useClinic } from '../records/ClinicContext.tsx';

/**
 * The pickers are antd AutoCompletes over the existing searches: the typed text is the query, each
 * hit an option; choosing one adds it and clears the box. Not virtual: eight hits at most, and each
 * option is then a real `option` with its name (what screen readers and the tests find it by).
 */
const pickerProps = { virtual: false, filterOption: false, popupMatchSelectWidth: true, style: { width: '100%' } } as const;

/**
 * ICD-10 search by code, Chinese name, 简称, pinyin initials or full pinyin, the commonest first;
 * only diagnoses that can apply to this patient's sex and age are offered. Choosing adds.
 */
export function DiagnosisPicker({ onPick, exclude, patient }: { onPick: (d: Icd10Diagnosis) => void; exclude: readonly string[]; patient: DiagnosisPatient | undefined }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  // Build the pinyin keys of the table (about half a second, once per session) while the doctor
  // reads the visit, not on the first keystroke.
  useEffect(() => {
    const warm = () => void icd10Diagnoses();
    if (typeof window.requestIdleCallback !== 'function') return void setTimeout(warm, 0);
    const id = window.requestIdleCallback(warm, { timeout: 2000 });
    return () => window.cancelIdleCallback(id);
  }, []);
  const sex = patient?.sex;
  const ageYears = patient?.ageYears;
  const hits = useMemo(() => {
    if (!query.trim()) return [];
    const fits = sex === undefined ? undefined : { sex, ...(ageYears !== undefined && { ageYears }) };
    return searchDiagnoses(query, { limit: 8 + exclude.length, patient: fits })
      .filter((d) => !exclude.includes(d.code))
      .slice(0, 8);
  }, [query, exclude, sex, ageYears]);
  const options = hits.map((d) => ({
    value: d.code,
    'aria-label': `${d.code} ${d.name}`,
    label: (
      <span>
        <span className="mono">{d.code}</span> {d.name}
        {d.aliases[0] && <span className="muted">（{d.aliases[0].name}）</span>}
      </span>
    ),
  }));
  return (
    <AutoComplete
      {...pickerProps}
      aria-label={t('consultation.diagnosisSearch')}
      placeholder={t('consultation.diagnosisSearch')}
      value={query}
      options={options}
      onSearch={setQuery}
      onSelect={(code: string) => {
        const picked = hits.find((d) => d.code === code);
        if (picked) onPick(picked);
        setQuery('');
      }}
    />
  );
}

/** Test and exam items from the catalogue, with validity window and price. Choosing orders. */
export function OrderPicker({ onOrder, disabled }: { onOrder: (item: CatalogItem) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const { catalog } = useClinic();
  const [query, setQuery] = useState('');
  const hits = useMemo(() => (query.trim() ? catalog.search(query, 8) : []), [query, catalog]);
  const options = hits.map((item) => ({
    value: item.code,
    'aria-label': `${t('consultation.order')} ${item.name}`,
    label: (
      <span className="order-option">
        <span>
          {item.name} <span className="muted mono">{item.code}</span>
        </span>
        <span className="muted">
          {t('consultation.validity', { days: item.validityDays })} · {t('consultation.price', { price: item.priceYuan.toFixed(2) })}
        </span>
      </span>
    ),
  }));
  return (
    <AutoComplete
      {...pickerProps}
      aria-label={t('consultation.orderSearch')}
      placeholder={t('consultation.orderSearch')}
      disabled={disabled}
      value={query}
      options={options}
      onSearch={setQuery}
      onSelect={(code: string) => {
        const picked = hits.find((item) => item.code === code);
        if (picked) onOrder(picked);
        setQuery('');
      }}
    />
  );
}
