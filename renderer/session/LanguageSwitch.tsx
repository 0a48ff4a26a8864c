/** 中文 / English, for screens shown before the app's header (login, lock, first-run setup). */
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '../i18n/i18n.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      {t('app.language')}
      <select aria-label={t('app.language')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}>
        {supportedLanguages.map((lng) => (
          <option key={lng} value={lng}>
            {lng === 'zh-CN' ? '中文' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}
