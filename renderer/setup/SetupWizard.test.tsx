import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { AntdTestRoot } from '../testing/AntdTestRoot.tsx';
import type { DetectedDevice, DeviceAssignment, PortInfo, WorkstationApi } from '../../core/contract/workstation-api.ts';
import { DeviceError } from '../../core/contract/device-error.ts';
import { WorkstationContext } from '../app/WorkstationContext.tsx';
import { initI18n } from '../i18n/i18n.ts';
import { SetupWizard, type SetupResult } from './SetupWizard.tsx';
import { chooseOption, shownOption } from '../testing/antd.ts';
import type { FetchLike } from '../../services/setup/setup-model.ts';


interface FakeDevices {
  ports?: PortInfo[];
  detected?: DetectedDevice[];
  configure?: (a: DeviceAssignment) => Promise<void>;
}

function makeApi(devices: FakeDevices = {}) {
  const configure = vi.fn(devices.configure ?? (async () => undefined));
  const api: WorkstationApi = {
    app: { info: async () => ({ name: 'Clinic Workstation', version: '0.1.0', shell: 'electron', demo: false, hubUrl: '' }) },
    devices: {
      listPorts: async () => devices.ports ?? [{ path: 'COM3', manufacturer: 'wch.cn' }, { path: 'COM5' }],
      listAssignments: async () => [],
      configure,
      subscribe: () => () => undefined,
      ...(devices.detected ? { autoDetect: async () => devices.detected as DetectedDevice[] } : {}),
    },
  };
  return { api, configure };
}

const enrolled: FetchLike = async () => ({
  ok: true,
  status: 200,
  json: async () => ({ workstationId: 'ws-1', institution: { id: 'th-1', name: '城关镇卫生院', kind: 'township' }, workstationCredential: 'c'.repeat(43) }),
});

async function renderWizard(options: { devices?: FakeDevices; fetchImpl?: FetchLike } = {}) {
  const i18n = await initI18n('zh-CN');
  const { api, configure } = makeApi(options.devices);
  const onComplete = vi.fn<(result: SetupResult) => void>();
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <WorkstationContext.Provider value={{ api, info: await api.app.info() }}>
          <SetupWizard onComplete={onComplete} fetchImpl={options.fetchImpl ?? enrolled} />
        </WorkstationContext.Provider>
      </AntdTestRoot>
    </I18nextProvider>,
  );
  await screen.findByLabelText('县级平台地址'); // the wizard is loaded when first shown
  return { configure, onComplete };
}

const type = (label: string, text: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: text } });
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));


async function passHubAndEnrol() {
  type('县级平台地址', 'https://hub.county.cn');
  click('下一步');
  fireEvent.change(await screen.findByLabelText('一次性注册码'), { target: { value: 'abcd-efgh-jklm' } });
  click('注册本机');
  await screen.findByText('本机已注册到 城关镇卫生院');
  click('下一步');
  await screen.findByRole('button', { name: '保存并完成' });
}

afterEach(cleanup);

describe('first-run wizard', () => {
  it('will not leave the hub step with an address that is not http(s)', async () => {
    await renderWizard();
    type('县级平台地址', 'hub.county.cn');
    click('下一步');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', '请输入以 http:// 或 https:// 开头的县级平台地址');
    expect(screen.queryByLabelText('一次性注册码')).toBeNull();
  });

  it('enrols with the one-time code and assigns the chosen port to the ID card reader', async () => {
    const { configure, onComplete } = await renderWizard();
    await passHubAndEnrol();
    await chooseOption('身份证读卡器的串口', 'COM3 (wch.cn)');
    click('保存并完成');
    await waitFor(() => expect(onComplete).toHaveBeenCalled());
    expect(configure).toHaveBeenCalledWith({ kind: 'id-card', path: 'COM3', baudRate: 115200 });
    expect(onComplete.mock.calls[0]?.[0]).toMatchObject({ hubUrl: 'https://hub.county.cn', enrolment: { workstationId: 'ws-1' } });
  });

  it('fills the device table from auto-detect', async () => {
    const { configure } = await renderWizard({ devices: { detected: [{ path: 'COM5', kind: 'insurance-card', baudRate: 115200, assigned: false }] } });
    await passHubAndEnrol();
    click('自动检测');
    await waitFor(() => expect(shownOption('社保卡读卡器的串口')).toBe('COM5'));
    click('保存并完成');
    await waitFor(() => expect(configure).toHaveBeenCalledWith({ kind: 'insurance-card', path: 'COM5', baudRate: 115200 }));
  });

  it('refuses to save two devices on one port', async () => {
    const { configure } = await renderWizard();
    await passHubAndEnrol();
    await chooseOption('身份证读卡器的串口', 'COM5');
    await chooseOption('扫码枪的串口', 'COM5');
    expect(screen.getByRole('alert').textContent).toBe('同一个串口只能连接一台设备');
    expect(screen.getByRole('button', { name: '保存并完成' })).toHaveProperty('disabled', true);
    expect(configure).not.toHaveBeenCalled();
  });

  it('shows the device agent’s Chinese message when a port cannot be opened, and stays on the step', async () => {
    const { onComplete } = await renderWizard({
      devices: {
        configure: async () => {
          throw new DeviceError('port-open-failed', 'EBUSY');
        },
      },
    });
    await passHubAndEnrol();
    await chooseOption('扫码枪的串口', 'COM5');
    click('保存并完成');
    expect((await screen.findByRole('alert')).textContent).toBe('无法打开串口，可能被其他程序占用');
    expect(onComplete).not.toHaveBeenCalled();
  });

  it('lets the nurse skip enrolment and set up devices offline', async () => {
    const { onComplete } = await renderWizard();
    type('县级平台地址', 'https://hub.county.cn');
    click('下一步');
    fireEvent.click(await screen.findByRole('button', { name: '稍后注册' }));
    expect(shownOption('身份证读卡器的串口')).toBe('未连接');
    click('保存并完成');
    await waitFor(() => expect(onComplete).toHaveBeenCalledWith({ hubUrl: 'https://hub.county.cn', enrolment: null, assignments: [], printerName: null }));
  });
});
