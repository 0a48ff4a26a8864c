/**
 * The parts every list of the administrator's screens is built from, so the workstations and users
 * tabs look and behave alike: the main action and 刷新 above the list, the table, and forms in dialogs.
 */
import { Button, Modal, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The list's main action (enrol, create) and 刷新, which reloads it from the hub. */
export function ListToolbar({ action, onAction, onReload, loading }: { action: string; onAction: () => void; onReload: () => void; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Space>
      <Button type="primary" onClick={onAction}>
        {action}
      </Button>
      <Button onClick={onReload} loading={loading}>
        {t('admin.refresh')}
      </Button>
    </Space>
  );
}

/** A list read from the hub: a spinner until the first answer, then pages of `pageSize` rows. */
export function AdminTable<Row extends { id: string }>(props: {
  testId: string;
  rows: Row[] | null;
  loading: boolean;
  columns: ColumnsType<Row>;
  pageSize: number;
  /** data-* attributes on each row: what the E2E page models find rows by. */
  rowData: (row: Row) => Record<`data-${string}`, string>;
}) {
  return (
    <Table<Row>
      rowKey="id"
      size="small"
      data-testid={props.testId}
      loading={props.loading && !props.rows}
      columns={props.columns}
      dataSource={props.rows ?? []}
      pagination={{ pageSize: props.pageSize, hideOnSinglePage: true }}
      onRow={(row) => props.rowData(row) as HTMLAttributes<HTMLElement>}
    />
  );
}

/** A form in a dialog: OK submits the form (its own validation first), cancel closes; nothing is kept between openings. */
export function FormDialog({ title, okText, open, onSubmit, onClose, children }: { title: string; okText: string; open: boolean; onSubmit: () => void; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Modal title={title} open={open} okText={okText} cancelText={t('common.cancel')} onOk={onSubmit} onCancel={onClose} destroyOnHidden>
      {children}
    </Modal>
  );
}
