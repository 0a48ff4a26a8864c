/**
 * 主索引身份信息差异 — the county patient-index administrator's queue (issue 13, item 2). When another
 * clinic registers or edits a master patient with a different name, sex, birth date or document, the
 * hub keeps the master as it is and files the difference here. For each open one the administrator
 * sees the patient, each differing field with its current and proposed value, who reported it and
 * whether their registration came from an ID card read or was typed, and accepts (the master takes
 * the proposed values) or rejects it (nothing changes). A refused or failed decision says why and
 * leaves the entry in the queue.
 */
import { Alert, Button, Card, Flex, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../core/records/index.ts';
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
  const fieldRows = (d: IdentityDiscrepancy) =>
    Object.keys(d.proposed).map((field) => ({ field, current: valueText(field, d.current[field]), proposed: valueText(field, d.proposed[field]) }));
  const fieldColumns = [
    { title: t('patientIndex.field'), dataIndex: 'field', rowScope: 'row' as const, width: 120, render: (field: string) => fieldLabel(field) },
    { title: t('patientIndex.current'), dataIndex: 'current' },
    { title: t('patientIndex.proposed'), dataIndex: 'proposed' },
  ];

  return (
    <section className="patient-index" aria-labelledby="patient-index-title">
      <h3 id="patient-index-title">{t('patientIndex.title')}</h3>
      <Typography.Paragraph type="secondary">{t('patientIndex.explain')}</Typography.Paragraph>
      {!source ? (
        <Alert type="info" showIcon title={t('patientIndex.noHub')} />
      ) : (
        <Flex vertical gap="small">
          <div role="status" data-testid="patient-index-status">
            {status.kind === 'loading' && <Typography.Text type="secondary">{t('patientIndex.loading')}</Typography.Text>}
            {status.kind === 'error' && <Alert type="error" showIcon title={status.text} />}
            {status.kind === 'done' && <Alert type="success" showIcon title={status.text} />}
          </div>
          <div>
            <Button onClick={() => void load()} disabled={status.kind === 'loading'}>
              {t('patientIndex.refresh')}
            </Button>
          </div>
          {items && items.length === 0 && <Typography.Text data-testid="patient-index-empty">{t('patientIndex.none')}</Typography.Text>}
          {items?.map((d) => (
            <Card
              key={d.id}
              size="small"
              data-testid="discrepancy"
              aria-labelledby={`discrepancy-${d.id}`}
              title={
                <h4 id={`discrepancy-${d.id}`} style={{ margin: 0 }}>
                  {t('patientIndex.patient', { name: d.patientName ?? t('patientIndex.unknownPatient') })}
                </h4>
              }
            >
              <p>
                {t('patientIndex.reportedBy', {
                  institution: d.reportedByInstitutionName ?? d.reportedByInstitution,
                  user: d.reportedByUserName ?? d.reportedByUser ?? t('patientIndex.unknownUser'),
                  at: formatDateTime(d.createdAt),
                })}{' '}
                <Tag color={d.registration === 'card-read' ? 'green' : 'default'} data-testid="discrepancy-how">
                  {howText(d)}
                </Tag>
              </p>
              <Table size="small" bordered pagination={false} rowKey="field" columns={fieldColumns} dataSource={fieldRows(d)} />
              <Space className="actions">
                <Button type="primary" onClick={() => void decide(d, 'accepted')} disabled={busy !== null}>
                  {t('patientIndex.accept')}
                </Button>
                <Button onClick={() => void decide(d, 'rejected')} disabled={busy !== null}>
                  {t('patientIndex.reject')}
                </Button>
              </Space>
            </Card>
          ))}
        </Flex>
      )}
    </section>
  );
}
