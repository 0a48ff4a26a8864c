import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { icd10Diagnoses, searchDiagnoses, type CatalogItem, type DiagnosisPatient, type Icd10Diagnosis } from '../../core/catalog/index.ts';
import { useClinic } from '../records/ClinicContext.tsx';

/**
 * ICD-10 search by code, Chinese name, 简称, pinyin initials or full pinyin, the commonest first;
 * only diagnoses that can apply to this patient's sex and age are offered. Click adds.
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
  return (
    <div className="picker">
      <input type="search" aria-label={t('consultation.diagnosisSearch')} placeholder={t('consultation.diagnosisSearch')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {hits.length > 0 && (
        <ul className="picker-results" aria-label={t('consultation.diagnosisSearch')}>
          {hits.map((d) => (
            <li key={d.code}>
              <button
                type="button"
                className="link-button"
                aria-label={`${d.code} ${d.name}`}
                onClick={() => {
                  onPick(d);
                  setQuery('');
                }}
              >
                <span className="mono">{d.code}</span> {d.name}
                {d.aliases[0] && <span className="muted">（{d.aliases[0].name}）</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Test and exam items from the catalogue, with validity window and price. */
export function OrderPicker({ onOrder, disabled }: { onOrder: (item: CatalogItem) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const { catalog } = useClinic();
  const [query, setQuery] = useState('');
  const hits = useMemo(() => (query.trim() ? catalog.search(query, 8) : []), [query, catalog]);
  return (
    <div className="picker">
      <input type="search" aria-label={t('consultation.orderSearch')} placeholder={t('consultation.orderSearch')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {hits.length > 0 && (
        <ul className="picker-results">
          {hits.map((item) => (
            <li key={item.code}>
              <span>
                {item.name} <span className="muted mono">{item.code}</span> · {t('consultation.validity', { days: item.validityDays })} ·{' '}
                {t('consultation.price', { price: item.priceYuan.toFixed(2) })}
              </span>
              <button
                type="button"
                disabled={disabled}
                aria-label={`${t('consultation.order')} ${item.name}`}
                onClick={() => {
                  onOrder(item);
                  setQuery('');
                }}
              >
                {t('consultation.order')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
