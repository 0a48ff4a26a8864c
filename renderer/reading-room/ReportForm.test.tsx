import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { AntdTestRoot } from '../testing/AntdTestRoot.tsx';
import { initI18n } from '../i18n/i18n.ts';
import { ReportForm } from './ReportForm.tsx';

async function renderForm() {
  const i18n = await initI18n('zh-CN');
  const onSign = vi.fn();
  const onRelease = vi.fn();
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <ReportForm busy={false} onSign={onSign} onRelease={onRelease} />
      </AntdTestRoot>
    </I18nextProvider>,
  );
  return { onSign, onRelease };
}

describe('the reading room report form', () => {
  afterEach(cleanup);

  it('offers the standard statements by category and signs the chosen ones, critical flag suggested by a 危急值 term', async () => {
    const { onSign } = await renderForm();
    expect(screen.getByRole('group', { name: '心律' })).toBeTruthy();
    expect(screen.getByRole('group', { name: '心肌梗死' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('窦性心律'));
    expect((screen.getByLabelText('危急值（立即通知送检机构）') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(screen.getByLabelText('III 度房室传导阻滞'));
    expect((screen.getByLabelText('危急值（立即通知送检机构）') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('chosen-statements').textContent).toBe('已选诊断：窦性心律；III 度房室传导阻滞');
    fireEvent.change(screen.getByLabelText('描述与补充意见'), { target: { value: '心室率 38 次/分' } });
    fireEvent.click(screen.getByRole('button', { name: '签发报告' }));
    expect(onSign).toHaveBeenCalledWith({ codes: ['RHY-001', 'CON-006'], freeText: '心室率 38 次/分', critical: true });
  });

  it('narrows the statements to those matching the search, in Chinese or English', async () => {
    await renderForm();
    fireEvent.change(screen.getByLabelText('查找诊断术语'), { target: { value: 'fibrillation' } });
    expect(screen.queryByLabelText('窦性心律')).toBeNull();
    expect(screen.getByLabelText('心房颤动')).toBeTruthy();
    expect(screen.getByLabelText('心室颤动')).toBeTruthy();
  });

  it('finds statements by pinyin and by the abbreviations cardiologists type', async () => {
    await renderForm();
    const search = screen.getByLabelText('查找诊断术语');
    fireEvent.change(search, { target: { value: 'qianbi' } });
    expect(screen.getByLabelText('急性前壁心肌梗死')).toBeTruthy();
    expect(screen.queryByLabelText('急性下壁心肌梗死')).toBeNull();
    fireEvent.change(search, { target: { value: 'STEMI' } });
    expect(screen.getByLabelText('急性 ST 段抬高型心肌梗死')).toBeTruthy();
    expect(screen.getByLabelText('急性下壁心肌梗死')).toBeTruthy();
    expect(screen.queryByLabelText('窦性心律')).toBeNull();
    fireEvent.change(search, { target: { value: 'RBBB' } });
    expect(screen.getByLabelText('完全性右束支传导阻滞')).toBeTruthy();
    expect(screen.queryByLabelText('完全性左束支传导阻滞')).toBeNull();
  });

  it('ticks a statement chosen from the search suggestions and empties the box for the next term', async () => {
    const { onSign } = await renderForm();
    const search = screen.getByLabelText('查找诊断术语') as HTMLInputElement;
    fireEvent.change(search, { target: { value: 'STEMI' } });
    const suggestion = await waitFor(() => {
      const found = [...document.querySelectorAll('.ant-select-dropdown .ant-select-item-option')].find((o) => o.textContent === '急性 ST 段抬高型心肌梗死');
      if (!found) throw new Error('no suggestion');
      return found;
    });
    fireEvent.click(suggestion);
    expect(screen.getByTestId('chosen-statements').textContent).toBe('已选诊断：急性 ST 段抬高型心肌梗死');
    expect(search.value).toBe('');
    expect((screen.getByLabelText('急性 ST 段抬高型心肌梗死') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('危急值（立即通知送检机构）') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '签发报告' }));
    expect(onSign).toHaveBeenCalledWith({ codes: ['INF-008'], freeText: '', critical: true });
  });
});
