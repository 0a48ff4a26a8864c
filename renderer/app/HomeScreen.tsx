import { useTranslation } from 'react-i18next';
import { useWorkstation } from './WorkstationContext.tsx';
import { useHubStatus } from './useHubStatus.ts';
import type { Screen } from './App.tsx';

const tiles = ['registration', 'consultation', 'ecg', 'sync'] as const satisfies readonly Screen[];

/** visible: the screens the signed-in user's role may open (all tiles when omitted). */
export function HomeScreen({ onOpen, visible }: { onOpen: (screen: Screen) => void; visible?: readonly Screen[] }) {
  const { t } = useTranslation();
  const { info } = useWorkstation();
  const hub = useHubStatus(info.hubUrl);

  return (
    <section className="home" aria-labelledby="home-title">
      <h2 id="home-title">{t('home.welcome')}</h2>
      <p className="home-intro">{t('home.intro')}</p>
      <ul className="home-tiles">
        {tiles
          .filter((tile) => !visible || visible.includes(tile))
          .map((tile) => (
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
