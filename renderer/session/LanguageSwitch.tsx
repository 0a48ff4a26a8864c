/** 中文 / English: in the app's header, and on screens shown before it (login, lock, first-run setup). */
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '../i18n/i18n.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <span className="language-switch">
      {/* The visible word; the select carries the same name for screen readers (and tests). */}
      <span aria-hidden="true">{t('app.language')}</span>
      <Select<string>
        size="small"
        aria-label={t('app.language')}
        className="language-select"
        value={i18n.language}
        onChange={(lng) => void i18n.changeLanguage(lng as Language)}
        popupMatchSelectWidth={false}
        options={supportedLanguages.map((lng) => ({ value: lng, label: lng === 'zh-CN' ? '中文' : 'English' }))}
      />
    </span>
  );
}
