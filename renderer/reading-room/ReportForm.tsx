/**
 * 诊断报告: structured statements from the standard terminology (core/ecg/terminology), grouped by
 * category and searchable, free text, the critical-finding flag (危急值, suggested when a critical
 * statement is chosen), and signing (签发), which the hub accepts only from the claim holder.
 */
import { AutoComplete, Button, Card, Checkbox, Input, Typography } from 'antd';
import { memo, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ecgStatements, searchStatements, statementCategories, statementText, type EcgStatement } from '../../core/ecg/terminology/index.ts';
import { suggestsCritical, type ReportFormState } from './report-draft.ts';

/** Suggestions under the search box; the groups below show every match. */
const SUGGESTED = 12;

export function ReportForm({ busy, onSign, onRelease }: { busy: boolean; onSign: (form: ReportFormState) => void; onRelease: () => void }) {
  const { t, i18n } = useTranslation();
  const [codes, setCodes] = useState<string[]>([]);
  const [freeText, setFreeText] = useState('');
  const [critical, setCritical] = useState(false);
  const [filter, setFilter] = useState('');

  // Chinese, pinyin (qianbi), English or a ward abbreviation (STEMI, AF, RBBB).
  const shown = useMemo(() => searchStatements(filter), [filter]);
  const groups = useMemo(() => statementCategories.map((category) => ({ category, statements: shown.filter((s) => s.category === category) })).filter((g) => g.statements.length > 0), [shown]);

  // Stable, so a tick re-renders only its own category's group (antd checkboxes are not cheap).
  const choose = useCallback((added: string[], removed: string[]) => {
    setCodes((codes) => [...codes.filter((c) => !removed.includes(c)), ...added.filter((c) => !codes.includes(c))]);
    if (suggestsCritical(added)) setCritical(true);
  }, []);

  return (
    <form
      className="report-form"
      aria-label={t('readingRoom.reportTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        onSign({ codes, freeText, critical });
      }}
    >
      <Card size="small" title={<h3 className="report-form-title">{t('readingRoom.reportTitle')}</h3>}>
        <label className="report-field-label" htmlFor="statement-search">
          {t('readingRoom.findStatement')}
        </label>
        <AutoComplete
          id="statement-search"
          className="statement-search"
          value={filter}
          onChange={(text: string) => setFilter(text)}
          // Choosing a suggestion ticks it and clears the box for the next term.
          onSelect={(code: string) => {
            choose([code], []);
            setFilter('');
          }}
          options={filter.trim() ? shown.slice(0, SUGGESTED).map((s) => ({ value: s.code, label: <StatementLabel statement={s} language={i18n.language} /> })) : []}
          placeholder={t('readingRoom.searchPlaceholder')}
          allowClear
        />
        <div className="statement-groups">
          {groups.map(({ category, statements }) => (
            <StatementGroup
              key={category}
              category={category}
              title={t(`readingRoom.categories.${category}`)}
              statements={statements}
              chosenKey={codes.filter((c) => statements.some((s) => s.code === c)).join(' ')}
              language={i18n.language}
              onChoose={choose}
            />
          ))}
        </div>
        <Typography.Paragraph className="chosen-statements" data-testid="chosen-statements">
          {t('readingRoom.chosen')}：
          {codes
            .map((c) => ecgStatements.find((s) => s.code === c))
            .map((s) => (s ? statementText(s, i18n.language) : ''))
            .join('；') || t('readingRoom.noneChosen')}
        </Typography.Paragraph>
        <label className="report-field-label" htmlFor="report-free-text">
          {t('readingRoom.freeText')}
        </label>
        <Input.TextArea id="report-free-text" value={freeText} maxLength={4000} autoSize={{ minRows: 2, maxRows: 6 }} onChange={(e) => setFreeText(e.target.value)} />
      </Card>
      {/* Fixed at the window's bottom (reading-room.css): the decision and the signature are always
          on screen, however far the tracing and the statement list push the form down. */}
      <div className="report-actions" data-testid="report-actions">
        <Checkbox className="critical-flag" checked={critical} onChange={(e) => setCritical(e.target.checked)}>
          {t('readingRoom.criticalFlag')}
        </Checkbox>
        <Button type="primary" htmlType="submit" disabled={busy}>
          {t('readingRoom.sign')}
        </Button>
        <Button disabled={busy} onClick={onRelease}>
          {t('readingRoom.release')}
        </Button>
      </div>
    </form>
  );
}

function StatementLabel({ statement, language }: { statement: EcgStatement; language: string }) {
  return <span className={statement.critical ? 'critical-statement' : undefined}>{statementText(statement, language)}</span>;
}

/** One category's statements (a card of checkboxes); `chosenKey`: its ticked codes, space-separated, so an unchanged group skips rendering. */
const StatementGroup = memo(function StatementGroup({
  category,
  title,
  statements,
  chosenKey,
  language,
  onChoose,
}: {
  category: string;
  title: string;
  statements: EcgStatement[];
  chosenKey: string;
  language: string;
  onChoose(added: string[], removed: string[]): void;
}) {
  const titleId = `statement-category-${category}`;
  return (
    <Card size="small" type="inner" role="group" aria-labelledby={titleId} title={<span id={titleId}>{title}</span>}>
      <Checkbox.Group
        className="statement-choices"
        value={chosenKey ? chosenKey.split(' ') : []}
        options={statements.map((s) => ({ value: s.code, label: <StatementLabel statement={s} language={language} /> }))}
        onChange={(checked) => {
          const values = checked.map(String);
          onChoose(
            values,
            statements.map((s) => s.code).filter((c) => !values.includes(c)),
          );
        }}
      />
    </Card>
  );
});
