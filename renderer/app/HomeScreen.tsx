import { useTranslation } from 'react-i18next';
import { useWorkstation } from './WorkstationContext.tsx';
import { useHubStatus } from './useHubStatus.ts';
import type { Screen } from './App.tsx';

const tiles = ['registration', 'consultation', 'ecg', 'sync'] as const satisfies readonly Screen[];

export function HomeScreen({ onOpen }: { onOpen: (screen: Screen) => void }) {
  const { t } = useTranslation();
  const { info } = useWorkstation();
  const hub = useHubStatus(info.hubUrl);

  return (
    <section className="home" aria-labelledby="home-title">
      <h2 id="home-title">{t('home.welcome')}</h2>
      <p className="home-intro">{t('home.intro')}</p>
      <ul className="home-tiles">
        {tiles.map((tile) => (
          <li key={tile}>
            <button className="tile" onClick={() => onOpen(tile)}>
              <strong>{t(`nav.${tile}`)}</strong>
              <span>{t(`home.tiles.${tile}`)}</span>
            </button>
          </li>
        ))}
      </ul>
      <dl className="home-status">
        <dt>{t('home.status.hub')}</dt>
        <dd data-testid="hub-status" data-status={hub}>
          {t(`home.status.${hub}`)}
        </dd>
      </dl>
    </section>
  );
}
