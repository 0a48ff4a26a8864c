import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { Empty } from 'antd';
import dayjs from 'dayjs';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from '../i18n/i18n.ts';
import { AntdRoot } from './AntdRoot.tsx';

afterEach(cleanup);

describe('the Ant Design root', () => {
  it('speaks the app’s language in antd’s own texts and dates, and follows the language switch', async () => {
    const i18n = await initI18n('zh-CN');
    render(
      <I18nextProvider i18n={i18n}>
        <AntdRoot>
          <Empty />
        </AntdRoot>
      </I18nextProvider>,
    );
    expect(document.body.textContent).toContain('暂无数据');
    expect(dayjs('2026-12-06').format('dddd')).toBe('星期日');
    await act(() => i18n.changeLanguage('en'));
    expect(document.body.textContent).toContain('No data');
    expect(document.body.textContent).not.toContain('暂无数据');
    expect(dayjs('2026-12-06').format('dddd')).toBe('Sunday');
  });
});
