/**
 * Sync status: how many local changes wait for the hub, when it last synced, what is wrong in plain
 * words, and "sync now". A compact form sits in the header; the full panel is the sync screen, with
 * the records the hub refused (NeedsAttention.tsx).
 */
import { Alert, Button, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../core/records/index.ts';
import { inLanguage } from '../app/messages.ts';
import type { SyncState, SyncStatusSource } from '../../services/records/repository.ts';
import { useClinic } from '../records/ClinicContext.tsx';
import { NeedsAttentionList } from './NeedsAttention.tsx';

/**
 * The hub refused this workstation's or user's credentials (revoked, disabled, nobody signed in): the
 * sync client waits for a new sign-in instead of retrying, so the panel says that, not "sync problem".
 */
const AUTH_CODES = new Set(['auth-invalid', 'auth-missing', 'auth-expired']);
const needsSignIn = (state: SyncState) => !!state.error && AUTH_CODES.has(state.error.code);

function useSyncState(source: SyncStatusSource | null): SyncState | null {
  const [state, setState] = useState<SyncState | null>(() => source?.current() ?? null);
  useEffect(() => {
    if (!source) return;
    setState(source.current());
    return source.subscribe(setState);
  }, [source]);
  return state;
}

/**
 * The header's compact status, as an antd Tag: its own light background keeps it readable on the
 * teal header (plain orange text on teal was not) — grey with nothing waiting, blue while changes
 * wait, amber when something is wrong.
 */
export function SyncStatusBar() {
  const { t, i18n } = useTranslation();
  const { sync } = useClinic();
  const state = useSyncState(sync);
  if (!sync || !state) {
    return (
      <Tag className="sync-bar" data-testid="sync-bar">
        {t('sync.unavailable')}
      </Tag>
    );
  }
  if (needsSignIn(state)) {
    return (
      <Tag color="warning" className="sync-bar sync-bar-problem" data-testid="sync-bar" data-pending={state.pending} title={inLanguage(i18n.language, state.error!)}>
        ⚠ {t('sync.authBar')}
      </Tag>
    );
  }
  return (
    <Tag
      color={state.error ? 'warning' : state.pending > 0 ? 'processing' : 'default'}
      className={`sync-bar ${state.error ? 'sync-bar-problem' : ''}`}
      data-testid="sync-bar"
      data-pending={state.pending}
    >
      {state.pending > 0 ? t('sync.pending', { count: state.pending }) : t('sync.pendingNone')}
      {state.needsAttention.length > 0 && <span data-testid="sync-bar-attention"> · {t('sync.attentionBar', { count: state.needsAttention.length })}</span>}
      {state.error && <span title={inLanguage(i18n.language, state.error)}> ⚠</span>}
    </Tag>
  );
}

export function SyncPanel() {
  const { t, i18n } = useTranslation();
  const { sync } = useClinic();
  const state = useSyncState(sync);
  const [running, setRunning] = useState(false);
  if (!sync || !state) {
    return (
      <section className="panel sync-panel" aria-labelledby="screen-title">
        <h2 id="screen-title">{t('sync.title')}</h2>
        <p>{t('sync.unavailable')}</p>
        <p className="muted">{t('sync.offlineNote')}</p>
      </section>
    );
  }
  const syncNow = async () => {
    setRunning(true);
    try {
      await sync.syncNow();
    } finally {
      setRunning(false);
    }
  };
  return (
    <section className="panel sync-panel" aria-labelledby="screen-title">
      <h2 id="screen-title">{t('sync.title')}</h2>
      <dl>
        <dt>{t('sync.title')}</dt>
        <dd data-testid="sync-pending">{state.pending > 0 ? t('sync.pending', { count: state.pending }) : t('sync.pendingNone')}</dd>
        <dd data-testid="sync-last">{state.lastSyncedAt ? t('sync.lastSync', { at: formatDateTime(state.lastSyncedAt, { seconds: true }) }) : t('sync.never')}</dd>
        {state.active && <dd>{t('sync.syncing')}</dd>}
      </dl>
      {state.error && needsSignIn(state) && (
        <Alert
          type="error"
          showIcon
          data-testid="sync-error"
          data-code={state.error.code}
          title={t('sync.authTitle')}
          description={
            <>
              {t('sync.authReason', { message: inLanguage(i18n.language, state.error) })}
              <br />
              {t('sync.authNote')}
            </>
          }
        />
      )}
      {state.error && !needsSignIn(state) && (
        <Alert type="warning" showIcon data-testid="sync-error" data-code={state.error.code} title={t('sync.error', { message: inLanguage(i18n.language, state.error) })} />
      )}
      {/* Busy in words, not antd's spinner: the button keeps its name (the sign-in form does the same). */}
      <Button type="primary" onClick={() => void syncNow()} disabled={running}>
        {running ? t('sync.syncing') : t('sync.syncNow')}
      </Button>
      <NeedsAttentionList records={state.needsAttention} sync={sync} />
      <p className="muted">{t('sync.offlineNote')}</p>
    </section>
  );
}
