import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchDiagnoses, type CatalogItem, type Icd10Diagnosis } from '../../core/catalog/index.ts';
import { useClinic } from '../records/ClinicContext.tsx';

/** ICD-10 search by code, Chinese name, pinyin initials or full pinyin; click adds. */
export function DiagnosisPicker({ onPick, exclude }: { onPick: (d: Icd10Diagnosis) => void; exclude: readonly string[] }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const hits = useMemo(() => (query.trim() ? searchDiagnoses(query, 8).filter((d) => !exclude.includes(d.code)) : []), [query, exclude]);
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
                onClick={() => {
                  onPick(d);
                  setQuery('');
                }}
              >
                <span className="mono">{d.code}</span> {d.name}
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
