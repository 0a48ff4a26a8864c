/**
 * The one Ant Design ConfigProvider of the app (issue 14 item 1): compact density for 1366×768 clinic
 * screens, the app's teal and fonts, and antd's own texts (pagination, empty lists, confirm
 * buttons, date pickers) in the app's language, following the language switch. main.tsx puts it at
 * the root of both the workstation and the reading room; component tests render through it too.
 */
import { ConfigProvider, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const appTheme = {
  algorithm: theme.compactAlgorithm,
  token: {
    colorPrimary: '#0b6e69',
    fontFamily: "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', system-ui, sans-serif",
    // The compact algorithm takes the seed's small size as its base (14 → 12 px): a 16 seed gives
    // controls 14 px text, the app's own body size, with compact heights and spacing still.
    fontSize: 16,
  },
};

export function AntdRoot({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  const dayjsLocale = english ? 'en' : 'zh-cn';
  // dayjs formats antd's date pickers; its locale is global, like the language switch.
  dayjs.locale(dayjsLocale);
  useEffect(() => {
    dayjs.locale(dayjsLocale);
  }, [dayjsLocale]);
  return (
    // autoInsertSpace off: antd writes two-character Chinese buttons as "吊 销", which reads oddly and
    // is not the name a screen reader (or a test) knows the button by.
    <ConfigProvider locale={english ? enUS : zhCN} theme={appTheme} button={{ autoInsertSpace: false }}>
      {children}
    </ConfigProvider>
  );
}
