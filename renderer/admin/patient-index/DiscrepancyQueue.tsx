/**
 * 主索引身份信息差异 — the county patient-index administrator's queue (issue 13, item 2). When another
 * clinic registers or edits a master patient with a different name, sex, birth date or document, the
 * hub keeps the master as it is and files the difference here. For each open one the administrator
 * sees the patient, each differing field with its current and proposed value, who reported it and
 * whether their registration came from an ID card read or was typed, and accepts (the master takes
 * the proposed values) or rejects it (nothing changes). A refused or failed decision says why and
 * leaves the entry in the queue.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IdentityDiscrepancy } from '../../../sync/protocol/access.ts';
import { errorMessage } from '../../app/messages.ts';
import type { DiscrepancyResolution, DiscrepancySource } from '../../../services/admin/discrepancies-client.ts';

type Status = { kind: 'idle' | 'loading' } | { kind: 'error'; text: string } | { kind: 'done'; text: string };

export function DiscrepancyQueue({ source }: { source: DiscrepancySource | null }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<IdentityDiscrepancy[] | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [busy, setBusy] = useState<number | null>(null);

  const load = async () => {
    if (!source) return;
    setStatus({ kind: 'loading' });
    try {
      setItems(await source.open());
      setStatus({ kind: 'idle' });
    } catch (error) {
      setStatus({ kind: 'error', text: t('patientIndex.loadFailed', { message: errorMessage(i18n.language, error) }) });
    }
  };
  useEffect(() => {
    void load();
  }, [source]);

  const decide = async (d: IdentityDiscrepancy, resolution: DiscrepancyResolution) => {
    if (!source || busy !== null) return;
    setBusy(d.id);
    try {
      await source.resolve(d.id, resolution);
      setItems((list) => (list ?? []).filter((x) => x.id !== d.id));
      setStatus({ kind: 'done', text: t(resolution === 'accepted' ? 'patientIndex.accepted' : 'patientIndex.rejected', { name: d.patientName ?? d.masterPatientId }) });
    } catch (error) {
      setStatus({ kind: 'error', text: t('patientIndex.resolveFailed', { message: errorMessage(i18n.language, error) }) });
    } finally {
      setBusy(null);
    }
  };

  const fieldLabel = (field: string) => t(`patientIndex.fields.${field}`, { defaultValue: field });
  const valueText = (field: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return t('patientIndex.empty');
    if (field === 'sex') return t(`registration.sex.${String(value)}`, { defaultValue: String(value) });
    if (field === 'documentType') return t(`registration.documentTypes.${String(value)}`, { defaultValue: String(value) });
    return String(value);
  };
  const howText = (d: IdentityDiscrepancy) =>
    d.source === 'edit' ? t('patientIndex.how.edit') : d.registration === 'card-read' ? t('patientIndex.how.cardRead') : t('patientIndex.how.handTyped');
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language.startsWith('en') ? 'en-GB' : 'zh-CN');

  return (
    <section className="patient-index" aria-labelledby="patient-index-title">
      <h3 id="patient-index-title">{t('patientIndex.title')}</h3>
      <p className="muted">{t('patientIndex.explain')}</p>
      {!source ? (
        <p className="notice">{t('patientIndex.noHub')}</p>
      ) : (
        <>
          <div role="status" data-testid="patient-index-status">
            {status.kind === 'loading' && <p className="muted">{t('patientIndex.loading')}</p>}
            {status.kind === 'error' && <p className="error">{status.text}</p>}
            {status.kind === 'done' && <p>{status.text}</p>}
          </div>
          <button type="button" onClick={() => void load()} disabled={status.kind === 'loading'}>
            {t('patientIndex.refresh')}
          </button>
          {items && items.length === 0 && <p data-testid="patient-index-empty">{t('patientIndex.none')}</p>}
          {items && items.length > 0 && (
            <ul className="discrepancy-list">
              {items.map((d) => (
                <li key={d.id} data-testid="discrepancy" aria-labelledby={`discrepancy-${d.id}`}>
                  <h4 id={`discrepancy-${d.id}`}>
                    {t('patientIndex.patient', { name: d.patientName ?? t('patientIndex.unknownPatient'), id: d.masterPatientId })}
                  </h4>
                  <p>
                    {t('patientIndex.reportedBy', {
                      institution: d.reportedByInstitutionName ?? d.reportedByInstitution,
                      user: d.reportedByUserName ?? d.reportedByUser ?? t('patientIndex.unknownUser'),
                      at: when(d.createdAt),
                    })}{' '}
                    <span className={`badge ${d.registration === 'card-read' ? 'badge-ok' : ''}`} data-testid="discrepancy-how">
                      {howText(d)}
                    </span>
                  </p>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('patientIndex.field')}</th>
                        <th scope="col">{t('patientIndex.current')}</th>
                        <th scope="col">{t('patientIndex.proposed')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.keys(d.proposed).map((field) => (
                        <tr key={field}>
                          <th scope="row">{fieldLabel(field)}</th>
                          <td>{valueText(field, d.current[field])}</td>
                          <td>{valueText(field, d.proposed[field])}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <div className="actions">
                    <button type="button" onClick={() => void decide(d, 'accepted')} disabled={busy !== null}>
                      {t('patientIndex.accept')}
                    </button>
                    <button type="button" onClick={() => void decide(d, 'rejected')} disabled={busy !== null}>
                      {t('patientIndex.reject')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
