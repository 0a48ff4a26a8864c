/**
 * 诊断报告: structured statements from the standard terminology (core/ecg/terminology), grouped by
 * category and searchable, free text, the critical-finding flag (危急值, suggested when a critical
 * statement is chosen), and signing (签发), which the hub accepts only from the claim holder.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ecgStatements, searchStatements, statementCategories, statementText } from '../../core/ecg/terminology/index.ts';
import { suggestsCritical, type ReportFormState } from './report-draft.ts';

export function ReportForm({ busy, onSign, onRelease }: { busy: boolean; onSign: (form: ReportFormState) => void; onRelease: () => void }) {
  const { t, i18n } = useTranslation();
  const [codes, setCodes] = useState<string[]>([]);
  const [freeText, setFreeText] = useState('');
  const [critical, setCritical] = useState(false);
  const [filter, setFilter] = useState('');

  // Chinese, pinyin (qianbi), English or a ward abbreviation (STEMI, AF, RBBB).
  const shown = useMemo(() => searchStatements(filter), [filter]);

  const toggle = (code: string, on: boolean) => {
    const next = on ? [...codes, code] : codes.filter((c) => c !== code);
    setCodes(next);
    if (on && suggestsCritical([code])) setCritical(true);
  };

  return (
    <form
      className="panel report-form"
      aria-label={t('readingRoom.reportTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        onSign({ codes, freeText, critical });
      }}
    >
      <h3>{t('readingRoom.reportTitle')}</h3>
      <label>
        {t('readingRoom.findStatement')}
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <div className="statement-groups">
        {statementCategories.map((category) => {
          const inCategory = shown.filter((s) => s.category === category);
          if (inCategory.length === 0) return null;
          return (
            <fieldset key={category}>
              <legend>{t(`readingRoom.categories.${category}`)}</legend>
              {inCategory.map((s) => (
                <label key={s.code} className={s.critical ? 'critical-statement' : ''}>
                  <input type="checkbox" checked={codes.includes(s.code)} onChange={(e) => toggle(s.code, e.target.checked)} />
                  {statementText(s, i18n.language)}
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
      <p data-testid="chosen-statements">
        {t('readingRoom.chosen')}：
        {codes
          .map((c) => ecgStatements.find((s) => s.code === c))
          .map((s) => (s ? statementText(s, i18n.language) : ''))
          .join('；') || t('readingRoom.noneChosen')}
      </p>
      <label>
        {t('readingRoom.freeText')}
        <textarea value={freeText} maxLength={4000} onChange={(e) => setFreeText(e.target.value)} />
      </label>
      {/* Fixed at the window's bottom (reading-room.css): the decision and the signature are always
          on screen, however far the tracing and the statement list push the form down. */}
      <div className="actions report-actions" data-testid="report-actions">
        <label className="critical-flag">
          <input type="checkbox" checked={critical} onChange={(e) => setCritical(e.target.checked)} />
          {t('readingRoom.criticalFlag')}
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t('readingRoom.sign')}
        </button>
        <button type="button" disabled={busy} onClick={onRelease}>
          {t('readingRoom.release')}
        </button>
      </div>
    </form>
  );
}
