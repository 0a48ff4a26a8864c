/**
 * 系统管理 — the administrator's screens (issue 14 item 8), on Ant Design: workstations and their
 * sync health (enrol with a one-time code shown once, revoke), users and roles (create, disable,
 * enable, reset password, unlock), ECG turnaround (county and ECG-centre administrators, as the hub
 * allows) and the recognition indicators. Scoped like the hub: a clinic's administrator manages the
 * clinic, the county hospital's every institution. Loaded lazily (App.tsx), so the registration
 * desk's cold start does not carry antd's tables and forms.
 */
import { Alert, Button, Form, Input, Popconfirm, Select, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../core/records/index.ts';
import { staffRoles, type AdminUser, type CreatedWorkstation, type StaffRole, type WorkstationHealth } from '../../sync/protocol/admin.ts';
import { errorMessage } from '../app/messages.ts';
import { useClinic } from '../records/ClinicContext.tsx';
import { refreshDirectory, useNames } from '../records/directory.tsx';
import { TurnaroundDashboard } from '../reading-room/dashboard/index.ts';
import { useSignedInUser } from '../session/SessionProvider.tsx';
import { hubAdminApi, type AdminApi, type NewUser } from '../../services/admin/admin-api.ts';
import { PatientIndexPanel } from './patient-index/PatientIndexPanel.tsx';
import { AdminTable, FormDialog, ListToolbar } from './admin-parts.tsx';
import { IndicatorsPanel } from './IndicatorsPanel.tsx';

/** A workstation the hub has not heard from for a day is worth a phone call. */
const quietAfterMs = 24 * 60 * 60 * 1000;

export interface AdminScreenProps {
  /** Tests pass a scripted API; the app uses the signed-in administrator's hub connection. */
  api?: AdminApi;
  now?: () => number;
}

export function AdminScreen({ api: given, now = Date.now }: AdminScreenProps) {
  const { t } = useTranslation();
  const { hub } = useClinic();
  const user = useSignedInUser();
  const api = useMemo(() => given ?? (hub ? hubAdminApi(hub) : null), [given, hub]);
  const county = user.institution.kind === 'county_hospital';
  // The hub serves turnaround to the ECG centre's and the county hospital's administrators only.
  const turnaround = county || user.institution.kind === 'ecg_center';

  return (
    <section aria-labelledby="screen-title" className="admin-screen">
      <h2 id="screen-title">{t('nav.admin')}</h2>
      {!api ? (
        <Alert type="warning" showIcon title={t('admin.noHub')} />
      ) : (
        <Tabs
          destroyOnHidden
          items={[
            { key: 'workstations', label: t('admin.tabs.workstations'), children: <WorkstationsTab api={api} county={county} now={now} /> },
            { key: 'users', label: t('admin.tabs.users'), children: <UsersTab api={api} county={county} currentUserId={user.userId} /> },
            ...(turnaround && hub ? [{ key: 'turnaround', label: t('admin.tabs.turnaround'), children: <TurnaroundDashboard hub={hub} /> }] : []),
            { key: 'indicators', label: t('admin.tabs.indicators'), children: <IndicatorsPanel /> },
            // The patient index is kept by the county's administrators (the hub refuses anyone else).
            ...(county ? [{ key: 'patient-index', label: t('admin.tabs.patientIndex'), children: <PatientIndexPanel /> }] : []),
          ]}
        />
      )}
    </section>
  );
}

/** Loads a list from the hub, with its error in the UI language and a reload. */
function useHubList<T>(load: () => Promise<T[]>) {
  const { i18n } = useTranslation();
  const [rows, setRows] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await load());
      setError(null);
    } catch (e) {
      setError(errorMessage(i18n.language, e));
    } finally {
      setLoading(false);
    }
  }, [load, i18n.language]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { rows, error, loading, reload };
}

/** Runs an action, then reloads; its failure shows above the table. */
function useAction(reload: () => Promise<void>) {
  const { i18n } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setProblem(null);
    try {
      await action();
      await reload();
      return true;
    } catch (e) {
      setProblem(errorMessage(i18n.language, e));
      return false;
    }
  };
  return { problem, run };
}

function InstitutionChoice({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const { hub } = useClinic();
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    if (!hub) return;
    // The directory lists every institution (names, never ids).
    refreshDirectory(hub).then(
      (d) => setIds(d.institutions.map((i) => i.id)),
      () => undefined,
    );
  }, [hub]);
  return (
    <Select
      aria-label={t('admin.institution')}
      value={value}
      onChange={onChange}
      allowClear
      placeholder={t('admin.ownInstitution')}
      options={ids.map((id) => ({ value: id, label: names.institution(id) }))}
    />
  );
}

// --- workstations and sync health -----------------------------------------------------------------

function WorkstationsTab({ api, county, now }: { api: AdminApi; county: boolean; now: () => number }) {
  const { t } = useTranslation();
  const names = useNames();
  const load = useCallback(() => api.workstations(), [api]);
  const { rows, error, loading, reload } = useHubList(load);
  const { problem, run } = useAction(reload);
  const [enrolling, setEnrolling] = useState(false);
  const [issued, setIssued] = useState<(CreatedWorkstation & { name: string }) | null>(null);
  const [form] = Form.useForm<{ name: string; institutionId?: string }>();

  const when = (iso: string | null) => (iso ? formatDateTime(iso) : t('admin.never'));
  const columns: ColumnsType<WorkstationHealth> = [
    { title: t('admin.workstation'), dataIndex: 'name', key: 'name', render: (name: string, w) => <span data-testid="workstation-name" data-workstation-id={w.id}>{name}</span> },
    ...(county ? [{ title: t('admin.institution'), key: 'institution', render: (_: unknown, w: WorkstationHealth) => names.institution(w.institutionId) }] : []),
    {
      title: t('admin.state'),
      key: 'state',
      render: (_, w) => <Tag color={{ enrolled: 'green', 'awaiting-enrolment': 'blue', revoked: 'default' }[w.state]}>{t(`admin.workstationStates.${w.state}`)}</Tag>,
    },
    {
      title: t('admin.lastSeen'),
      key: 'lastSeen',
      render: (_, w) => {
        const quiet = w.state === 'enrolled' && (!w.lastSeenAt || now() - Date.parse(w.lastSeenAt) > quietAfterMs);
        return quiet ? <Typography.Text type="warning">{when(w.lastSeenAt)}</Typography.Text> : when(w.lastSeenAt);
      },
    },
    {
      title: t('admin.pending'),
      key: 'pending',
      align: 'right',
      render: (_, w) => (w.pending === null ? <span className="muted">—</span> : w.pending > 0 ? <Tag color="orange">{w.pending}</Tag> : '0'),
    },
    {
      title: <Tooltip title={t('admin.setAsideHelp')}>{t('admin.setAside')}</Tooltip>,
      key: 'setAside',
      align: 'right',
      render: (_, w) => (w.setAside === null ? <span className="muted">—</span> : w.setAside > 0 ? <Tag color="red">{w.setAside}</Tag> : '0'),
    },
    {
      title: <Tooltip title={t('admin.refusedHelp')}>{t('admin.refused')}</Tooltip>,
      key: 'refused',
      align: 'right',
      render: (_, w) => (w.refusedLast30Days > 0 ? <Tag color="red">{w.refusedLast30Days}</Tag> : '0'),
    },
    { title: t('admin.lastSynced'), key: 'lastSynced', render: (_, w) => (w.state === 'revoked' ? '—' : when(w.lastSyncedAt)) },
    {
      title: t('admin.actions'),
      key: 'actions',
      render: (_, w) =>
        w.state === 'revoked' ? null : (
          <Popconfirm
            title={t('admin.revokeConfirm', { name: w.name })}
            okText={t('admin.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => run(() => api.revokeWorkstation(w.id))}
          >
            <Button danger size="small" aria-label={`${t('admin.revoke')} ${w.name}`}>
              {t('admin.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  const enrol = async (values: { name: string; institutionId?: string }) => {
    let created: CreatedWorkstation | null = null;
    const ok = await run(async () => {
      created = await api.createWorkstation(values.name.trim(), values.institutionId);
    });
    if (ok && created) {
      setIssued({ ...(created as CreatedWorkstation), name: values.name.trim() });
      setEnrolling(false);
      form.resetFields();
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ListToolbar action={t('admin.enrolWorkstation')} onAction={() => setEnrolling(true)} onReload={() => void reload()} loading={loading} />
      {(error ?? problem) && <Alert type="error" showIcon role="alert" title={error ?? problem} />}
      <AdminTable<WorkstationHealth>
        testId="workstations-table"
        rows={rows}
        loading={loading}
        columns={columns}
        pageSize={10}
        rowData={(w) => ({ 'data-workstation-id': w.id, 'data-state': w.state })}
      />
      <FormDialog title={t('admin.enrolWorkstation')} okText={t('admin.issueCode')} open={enrolling} onSubmit={() => form.submit()} onClose={() => setEnrolling(false)}>
        <Form form={form} layout="vertical" onFinish={(v) => void enrol(v)} preserve={false}>
          <Form.Item name="name" label={t('admin.workstationName')} rules={[{ required: true, whitespace: true, message: t('admin.nameRequired') }]}>
            <Input autoFocus placeholder={t('admin.workstationNameHint')} maxLength={100} />
          </Form.Item>
          {county && (
            <Form.Item name="institutionId" label={t('admin.institution')}>
              <InstitutionChoice />
            </Form.Item>
          )}
        </Form>
      </FormDialog>
      {issued && (
        // Shown once, above the list, until the administrator says it is written down: the hub
        // keeps only the code's hash, so closing this is the last time anyone sees it.
        <Alert
          type="success"
          showIcon
          data-testid="enrolment-code-panel"
          title={t('admin.codeTitle', { name: issued.name })}
          description={
            <Space orientation="vertical">
              <Typography.Text>{t('admin.codeIntro', { institution: names.institution(issued.institutionId) })}</Typography.Text>
              <Typography.Text copyable className="enrolment-code" data-testid="enrolment-code" strong style={{ fontSize: 28, letterSpacing: 2 }}>
                {issued.enrolmentCode}
              </Typography.Text>
              <Typography.Text type="warning">{t('admin.codeOnce', { hours: Math.round(issued.expiresInSeconds / 3600) })}</Typography.Text>
              <Button type="primary" onClick={() => setIssued(null)}>
                {t('admin.codeWrittenDown')}
              </Button>
            </Space>
          }
        />
      )}
    </Space>
  );
}

// --- users and roles ------------------------------------------------------------------------------

function UsersTab({ api, county, currentUserId }: { api: AdminApi; county: boolean; currentUserId: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const load = useCallback(() => api.users(), [api]);
  const { rows, error, loading, reload } = useHubList(load);
  const { problem, run } = useAction(reload);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [createForm] = Form.useForm<NewUser>();
  const [resetForm] = Form.useForm<{ password: string }>();

  const columns: ColumnsType<AdminUser> = [
    { title: t('admin.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('admin.username'), dataIndex: 'username', key: 'username', render: (u: string) => <span className="mono">{u}</span> },
    { title: t('admin.role'), key: 'role', render: (_, u) => t(`admin.roles.${u.role}`) },
    ...(county ? [{ title: t('admin.institution'), key: 'institution', render: (_: unknown, u: AdminUser) => names.institution(u.institutionId) }] : []),
    {
      title: t('admin.state'),
      key: 'state',
      render: (_, u) =>
        u.disabled ? (
          <Tag>{t('admin.userStates.disabled')}</Tag>
        ) : u.locked ? (
          <Tooltip title={u.lockedUntil ? t('admin.lockedUntil', { at: formatDateTime(u.lockedUntil) }) : undefined}>
            <Tag color="red">{t('admin.userStates.locked')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="green">{t('admin.userStates.active')}</Tag>
        ),
    },
    {
      title: t('admin.actions'),
      key: 'actions',
      render: (_, u) => (
        <Space size="small" wrap>
          {u.locked && !u.disabled && (
            <Button size="small" onClick={() => void run(() => api.unlockUser(u.id)).then((ok) => ok && setDone(t('admin.unlocked', { name: u.displayName })))}>
              {t('admin.unlock')}
            </Button>
          )}
          <Button size="small" aria-label={`${t('admin.resetPassword')} ${u.displayName}`} onClick={() => setResetting(u)}>
            {t('admin.resetPassword')}
          </Button>
          {u.disabled ? (
            <Button size="small" onClick={() => void run(() => api.enableUser(u.id))} aria-label={`${t('admin.enable')} ${u.displayName}`}>
              {t('admin.enable')}
            </Button>
          ) : (
            u.id !== currentUserId && (
              <Popconfirm
                title={t('admin.disableConfirm', { name: u.displayName })}
                okText={t('admin.disable')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => run(() => api.disableUser(u.id))}
              >
                <Button size="small" danger aria-label={`${t('admin.disable')} ${u.displayName}`}>
                  {t('admin.disable')}
                </Button>
              </Popconfirm>
            )
          )}
        </Space>
      ),
    },
  ];

  const create = async (values: NewUser) => {
    const ok = await run(() => api.createUser({ ...values, username: values.username.trim(), displayName: values.displayName.trim() }));
    if (ok) {
      setCreating(false);
      setDone(t('admin.userCreated', { name: values.displayName.trim() }));
    }
  };
  const reset = async (values: { password: string }) => {
    const who = resetting;
    if (!who) return;
    const ok = await run(() => api.resetPassword(who.id, values.password));
    if (ok) {
      setResetting(null);
      setDone(t('admin.passwordReset', { name: who.displayName }));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ListToolbar action={t('admin.createUser')} onAction={() => setCreating(true)} onReload={() => void reload()} loading={loading} />
      {(error ?? problem) && <Alert type="error" showIcon role="alert" title={error ?? problem} />}
      {done && !(error ?? problem) && <Alert type="success" showIcon role="status" title={done} closable={{ onClose: () => setDone(null) }} />}
      <AdminTable<AdminUser>
        testId="users-table"
        rows={rows}
        loading={loading}
        columns={columns}
        pageSize={12}
        rowData={(u) => ({ 'data-username': u.username, 'data-institution': u.institutionId })}
      />
      <FormDialog title={t('admin.createUser')} okText={t('admin.create')} open={creating} onSubmit={() => createForm.submit()} onClose={() => setCreating(false)}>
        <Form form={createForm} layout="vertical" onFinish={(v) => void create(v)} preserve={false} initialValues={{ role: 'nurse' }}>
          <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true, whitespace: true, message: t('admin.nameRequired') }]}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('admin.username')}
            rules={[
              { required: true, message: t('admin.usernameRequired') },
              { pattern: /^[A-Za-z0-9._-]+$/, message: t('admin.usernameRule') },
            ]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item name="role" label={t('admin.role')} rules={[{ required: true }]}>
            <Select aria-label={t('admin.role')} options={staffRoles.map((r: StaffRole) => ({ value: r, label: t(`admin.roles.${r}`) }))} />
          </Form.Item>
          {county && (
            <Form.Item name="institutionId" label={t('admin.institution')}>
              <InstitutionChoice />
            </Form.Item>
          )}
          <Form.Item name="password" label={t('admin.initialPassword')} rules={[{ required: true, min: 8, message: t('admin.passwordRule') }]}>
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
        </Form>
      </FormDialog>
      <FormDialog
        title={t('admin.resetPasswordOf', { name: resetting?.displayName ?? '' })}
        okText={t('admin.resetPassword')}
        open={resetting !== null}
        onSubmit={() => resetForm.submit()}
        onClose={() => setResetting(null)}
      >
        <p className="muted">{t('admin.resetPasswordHelp')}</p>
        <Form form={resetForm} layout="vertical" onFinish={(v) => void reset(v)} preserve={false}>
          <Form.Item name="password" label={t('admin.temporaryPassword')} rules={[{ required: true, min: 8, message: t('admin.passwordRule') }]}>
            <Input.Password autoFocus autoComplete="new-password" maxLength={200} />
          </Form.Item>
        </Form>
      </FormDialog>
    </Space>
  );
}
