/**
 * The sync screen's "needs attention" list: records the county hub refused (another clinic's
 * patient, a field that fails the hub's checks). The sync client has set them aside so the rest keeps
 * syncing; here the nurse sees which record, the hub's own words, and can send one again once the
 * cause is fixed. Editing the record sends it again by itself.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../core/records/index.ts';
import { inLanguage } from '../app/messages.ts';
import type { RefusedRecordView, SyncStatusSource } from '../../services/records/repository.ts';

/** Enough of the record id to find it in a list; the full id is in the tooltip. */
const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

export function NeedsAttentionList({ records, sync }: { records: readonly RefusedRecordView[]; sync: SyncStatusSource }) {
  const { t, i18n } = useTranslation();
  const [sending, setSending] = useState<string | null>(null);
  if (records.length === 0) return null;
  const retry = async (r: RefusedRecordView) => {
    setSending(r.id);
    try {
      await sync.retry(r.collection, r.id);
    } finally {
      setSending(null);
    }
  };
  return (
    <section className="needs-attention" aria-labelledby="needs-attention-title" data-testid="needs-attention">
      <h3 id="needs-attention-title">{t('sync.attention.title', { count: records.length })}</h3>
      <p className="muted">{t('sync.attention.intro')}</p>
      <ul>
        {records.map((r) => (
          <li key={`${r.collection}/${r.id}`} data-collection={r.collection} data-id={r.id} data-code={r.code}>
            <strong title={r.id}>{t('sync.attention.record', { collection: t(`sync.attention.collections.${r.collection}`, { defaultValue: r.collection }), id: shortId(r.id) })}</strong>
            <br />
            <span className="error">{t('sync.attention.reason', { message: inLanguage(i18n.language, r) })}</span>
            {r.issues.length > 0 && (
              <ul>
                {r.issues.map((issue) => (
                  <li key={issue.path}>{t('sync.attention.issue', { path: issue.path, message: inLanguage(i18n.language, issue) })}</li>
                ))}
              </ul>
            )}
            <br />
            <span className="muted">{t('sync.attention.refusedAt', { at: formatDateTime(r.refusedAt, { seconds: true }) })}</span>{' '}
            <button type="button" onClick={() => void retry(r)} disabled={sending === r.id}>
              {t('sync.attention.retry')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
