import { Button, Card, Input } from 'antd';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../core/records/index.ts';
import { maskIdNumber } from '../../core/identity/index.ts';
import { useDebounced } from '../app/useDebounced.ts';
import { useClinic } from '../records/ClinicContext.tsx';

export const SEARCH_DEBOUNCE_MS = 250;

/** Results as you type: ID number, name, pinyin initials (zs → 张三), full pinyin or phone. */
export function PatientSearch({ onPick }: { onPick: (patient: Patient) => void }) {
  const { t } = useTranslation();
  const { repo } = useClinic();
  const inputId = useId();
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), SEARCH_DEBOUNCE_MS);
  const [results, setResults] = useState<{ query: string; patients: Patient[] } | null>(null);

  useEffect(() => {
    if (!settled) return setResults(null);
    let cancelled = false;
    void repo.searchPatients(settled, 20).then((patients) => {
      if (!cancelled) setResults({ query: settled, patients });
    });
    return () => {
      cancelled = true;
    };
  }, [repo, settled]);

  return (
    <Card size="small" className="patient-search" title={<span id={`${inputId}-title`}>{t('search.label')}</span>} role="region" aria-labelledby={`${inputId}-title`}>
      <Input
        id={inputId}
        type="search"
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
        aria-keyshortcuts="F3"
      />
      {results && (
        <ul className="search-results" aria-label={t('search.results')} data-query={results.query}>
          {results.patients.length === 0 && <li className="muted">{t('search.noResults')}</li>}
          {results.patients.map((p) => (
            <li key={p.id}>
              <Button type="text" size="small" block className="search-result" onClick={() => onPick(p)}>
                <strong>{p.name}</strong> {t(`registration.sex.${p.sex}`)} {p.birthDate} <span className="mono">{maskIdNumber(p.idNumber)}</span> {p.phone}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
