import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AdminUser, CreatedWorkstation, WorkstationHealth } from '../../sync/protocol/admin.ts';
import { SyncError } from '../../sync/client/hub-http.ts';
import { renderWorkstation } from '../testing/render-workstation.tsx';
import { SignedIn, testUser } from '../session/testing.tsx';
import type { AdminApi, NewUser } from '../../services/admin/admin-api.ts';
import { AdminScreen } from './AdminScreen.tsx';

afterEach(cleanup);

const now = Date.parse('2026-12-06T08:00:00Z');
const directory = {
  institutions: [
    { id: 'county-hospital', kind: 'county_hospital' as const, name: '县人民医院' },
    { id: 'th-clinic-01', kind: 'township_clinic' as const, name: '城关镇卫生院' },
  ],
  people: [],
};

const makeWorkstation = (over: Partial<WorkstationHealth> = {}): WorkstationHealth => ({
  id: 'ws-1',
  institutionId: 'th-clinic-01',
  name: '挂号台',
  state: 'enrolled',
  createdAt: '2026-11-01T00:00:00.000Z',
  enrolledAt: '2026-11-01T01:00:00.000Z',
  revokedAt: null,
  lastSeenAt: '2026-12-06T07:58:00.000Z',
  pending: 0,
  setAside: 0,
  lastSyncedAt: '2026-12-06T07:58:00.000Z',
  refusedLast30Days: 0,
  ...over,
});

const makeUser = (over: Partial<AdminUser> = {}): AdminUser => ({
  id: 'u-nurse',
  institutionId: 'th-clinic-01',
  username: 'nurse',
  displayName: '李护士',
  role: 'nurse',
  disabled: false,
  locked: false,
  lockedUntil: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  ...over,
});

/** An in-memory hub admin API that keeps what the screen does to it. */
function scriptedApi(initial: { workstations?: WorkstationHealth[]; users?: AdminUser[] } = {}) {
  let workstations = initial.workstations ?? [makeWorkstation()];
  let users = initial.users ?? [makeUser()];
  const calls: string[] = [];
  const api: AdminApi = {
    workstations: async () => workstations,
    users: async () => users,
    async createWorkstation(name, institutionId): Promise<CreatedWorkstation> {
      calls.push(`create-ws ${name} ${institutionId ?? ''}`.trim());
      workstations = [...workstations, makeWorkstation({ id: 'ws-new', name, state: 'awaiting-enrolment', lastSeenAt: null, pending: null, setAside: null, lastSyncedAt: null })];
      return { workstationId: 'ws-new', institutionId: institutionId ?? 'th-clinic-01', enrolmentCode: 'ABCD-EFGH-JKMN', expiresInSeconds: 86_400 };
    },
    async revokeWorkstation(id) {
      calls.push(`revoke ${id}`);
      workstations = workstations.map((w) => (w.id === id ? { ...w, state: 'revoked' } : w));
    },
    async createUser(user: NewUser) {
      calls.push(`create-user ${user.username} ${user.role}`);
      if (users.some((u) => u.username === user.username)) throw new SyncError('bad-request', 400, 'This username already exists in the institution', '该机构已有同名用户');
      users = [...users, makeUser({ id: `u-${user.username}`, username: user.username, displayName: user.displayName, role: user.role })];
    },
    async disableUser(id) {
      calls.push(`disable ${id}`);
      users = users.map((u) => (u.id === id ? { ...u, disabled: true } : u));
    },
    async enableUser(id) {
      calls.push(`enable ${id}`);
      users = users.map((u) => (u.id === id ? { ...u, disabled: false } : u));
    },
    async unlockUser(id) {
      calls.push(`unlock ${id}`);
      users = users.map((u) => (u.id === id ? { ...u, locked: false, lockedUntil: null } : u));
    },
    async resetPassword(id, password) {
      calls.push(`reset ${id} ${password}`);
    },
  };
  return { api, calls };
}

async function renderAdmin(api: AdminApi, user = testUser('administrator')) {
  return renderWorkstation(
    <SignedIn user={user}>
      <AdminScreen api={api} now={() => now} />
    </SignedIn>,
    // The turnaround tab reads the hub itself; these tests never open it.
    { directory, hub: { hubUrl: 'http://hub.invalid', getToken: () => 'token' } },
  );
}

/** Buttons by their visible text or aria-label: role queries walk antd's large DOM too slowly. */
const button = (name: string, inside: ParentNode = document): HTMLElement => {
  const found = [...inside.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const findButton = (name: string, inside?: ParentNode) => waitFor(() => button(name, inside));
const tab = (name: string) => [...document.querySelectorAll('[role="tab"]')].find((t) => t.textContent === name) as HTMLElement | undefined;
const findTab = (name: string) => waitFor(() => tab(name) ?? Promise.reject(new Error(`no tab ${name}`)));
const findRole = (role: 'alert' | 'status') => waitFor(() => document.querySelector(`[role="${role}"]`) ?? Promise.reject(new Error(`no ${role}`)));
const popconfirm = () => document.querySelector('.ant-popover:not(.ant-popover-hidden)') as HTMLElement;
const dialog = () => document.querySelector('.ant-modal-wrap:not([style*="display: none"]) [role="dialog"]') as HTMLElement;

const row = (testId: string, attribute: string, value: string) => document.querySelector(`[data-testid="${testId}"] tr[${attribute}="${value}"]`) as HTMLElement | null;

// antd's CSS-in-JS makes each render slow in jsdom on a loaded machine (7–17 s seen): more patience, same conditions.
describe('the administrator screens', { timeout: 60_000 }, () => {
  it('shows each workstation with its sync health in words: state, last seen, pending, set aside, refused', async () => {
    const { api } = scriptedApi({
      workstations: [
        makeWorkstation({ id: 'ws-1', name: '挂号台', pending: 12, setAside: 2, refusedLast30Days: 3 }),
        makeWorkstation({ id: 'ws-2', name: '诊室', lastSeenAt: '2026-12-04T07:00:00.000Z' }),
        makeWorkstation({ id: 'ws-3', name: '新电脑', state: 'awaiting-enrolment', lastSeenAt: null, pending: null, setAside: null, lastSyncedAt: null }),
      ],
    });
    await renderAdmin(api);
    await waitFor(() => expect(row('workstations-table', 'data-workstation-id', 'ws-1')).not.toBeNull());
    const busy = within(row('workstations-table', 'data-workstation-id', 'ws-1')!);
    expect(busy.getByText('已登记')).toBeTruthy();
    expect(busy.getByText('12')).toBeTruthy();
    expect(busy.getByText('2')).toBeTruthy();
    expect(busy.getByText('3')).toBeTruthy();
    expect(busy.getAllByText('2026-12-06 07:58')).toHaveLength(2); // last seen, last synced // YYYY-MM-DD, local time
    // Silent for two days: the last-seen time is a warning.
    const quiet = row('workstations-table', 'data-workstation-id', 'ws-2')!;
    expect(quiet.querySelector('.ant-typography-warning')?.textContent).toBe('2026-12-04 07:00');
    const fresh = within(row('workstations-table', 'data-workstation-id', 'ws-3')!);
    expect(fresh.getByText('待登记')).toBeTruthy();
    expect(fresh.getAllByText('从未').length).toBeGreaterThan(0);
  });

  it('issues a one-time enrolment code, shows it once, and lists the new workstation awaiting enrolment', async () => {
    const { api, calls } = scriptedApi();
    await renderAdmin(api);
    fireEvent.click(await findButton('登记新工作站'));
    fireEvent.click(await findButton('生成登记码'));
    expect(await screen.findByText('请填写名称')).toBeTruthy();
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('工作站名称'), { target: { value: ' 二楼诊室 ' } });
    fireEvent.click(button('生成登记码'));
    expect((await screen.findByTestId('enrolment-code')).textContent).toContain('ABCD-EFGH-JKMN');
    expect(screen.getByText(/只显示这一次，24 小时内有效/)).toBeTruthy();
    expect(calls).toEqual(['create-ws 二楼诊室']);
    fireEvent.click(button('已记下，关闭'));
    await waitFor(() => expect(screen.queryByTestId('enrolment-code')).toBeNull());
    await waitFor(() => expect(row('workstations-table', 'data-workstation-id', 'ws-new')?.textContent).toContain('待登记'));
  });

  it('revokes a workstation only after confirming', async () => {
    const { api, calls } = scriptedApi();
    await renderAdmin(api);
    fireEvent.click(await findButton('吊销 挂号台'));
    expect(calls).toEqual([]);
    fireEvent.click(await waitFor(() => button('吊销', popconfirm())));
    await waitFor(() => expect(row('workstations-table', 'data-workstation-id', 'ws-1')?.textContent).toContain('已吊销'));
    expect(calls).toEqual(['revoke ws-1']);
  });

  it('creates a user, refuses a duplicate in the hub’s words, resets a password, disables and unlocks', async () => {
    const { api, calls } = scriptedApi({ users: [makeUser(), makeUser({ id: 'u-doc', username: 'doctor', displayName: '王医生', role: 'doctor', locked: true, lockedUntil: '2026-12-06T09:00:00.000Z' })] });
    await renderAdmin(api);
    fireEvent.click(await findTab('用户与角色'));
    await waitFor(() => expect(row('users-table', 'data-username', 'doctor')).not.toBeNull());
    expect(within(row('users-table', 'data-username', 'doctor')!).getByText('已锁定')).toBeTruthy();
    expect(within(row('users-table', 'data-username', 'doctor')!).getByText('医生')).toBeTruthy();

    fireEvent.click(button('新建用户'));
    fireEvent.change(await screen.findByLabelText('姓名'), { target: { value: '赵护士' } });
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'nurse' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'long-enough-1' } });
    fireEvent.click(button('创建'));
    expect((await findRole('alert')).textContent).toContain('该机构已有同名用户');
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'nurse2' } });
    fireEvent.click(button('创建'));
    await waitFor(() => expect(row('users-table', 'data-username', 'nurse2')?.textContent).toContain('赵护士'));

    fireEvent.click(button('重置密码 王医生'));
    fireEvent.change(await screen.findByLabelText('临时密码'), { target: { value: 'short' } });
    fireEvent.click(button('重置密码', dialog()));
    expect(await screen.findByText('密码至少 8 位')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('临时密码'), { target: { value: 'temporary-1' } });
    fireEvent.click(button('重置密码', dialog()));
    await waitFor(() => expect(document.querySelector('[role="status"]')?.textContent).toContain('已重置 王医生 的密码'));

    fireEvent.click(button('解锁', row('users-table', 'data-username', 'doctor')!));
    await waitFor(() => expect(within(row('users-table', 'data-username', 'doctor')!).getByText('正常')).toBeTruthy());
    fireEvent.click(button('停用 李护士'));
    fireEvent.click(await waitFor(() => button('停用', popconfirm())));
    await waitFor(() => expect(within(row('users-table', 'data-username', 'nurse')!).getByText('已停用')).toBeTruthy());
    expect(calls).toEqual(['create-user nurse nurse', 'create-user nurse2 nurse', 'reset u-doc temporary-1', 'unlock u-doc', 'disable u-nurse']);
  });

  it('offers ECG turnaround and other institutions only to the county hospital’s administrator', async () => {
    const clinic = scriptedApi();
    await renderAdmin(clinic.api);
    await findTab('用户与角色');
    expect(tab('心电诊断时效')).toBeUndefined();
    expect([...document.querySelectorAll('th')].map((th) => th.textContent)).not.toContain('机构');
    cleanup();

    const county = scriptedApi({ workstations: [makeWorkstation({ institutionId: 'county-hospital', name: '信息科' })] });
    await renderAdmin(county.api, testUser('administrator', { institution: { id: 'county-hospital', name: '县人民医院', kind: 'county_hospital' } }));
    expect(await findTab('心电诊断时效')).toBeTruthy();
    // Institutions by name, never by id.
    await waitFor(() => expect(row('workstations-table', 'data-workstation-id', 'ws-1')?.textContent).toContain('县人民医院'));
  });
});
