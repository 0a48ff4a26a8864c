import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, inLanguage } from '../app/messages.ts';
import type { SampleCard, SimulatorControls } from '../platform/simulator.ts';

/** Demo mode only: put one of the agent's sample cards on the simulated reader. */
export function DemoCardPanel({ simulator }: { simulator: SimulatorControls }) {
  const { t, i18n } = useTranslation();
  const [cards, setCards] = useState<SampleCard[] | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let cancelled = false;
    simulator.listSampleCards().then(
      (list) => !cancelled && setCards(list),
      (error: unknown) => !cancelled && (setCards([]), setProblem(errorMessage(i18n.language, error))),
    );
    return () => {
      cancelled = true;
    };
  }, [simulator, i18n.language]);

  const place = async (id: string) => {
    setProblem('');
    try {
      await simulator.placeCard(id);
    } catch (error) {
      setProblem(t('registration.demo.failed', { message: errorMessage(i18n.language, error) }));
    }
  };

  const remove = async () => {
    setProblem('');
    try {
      await Promise.all([simulator.removeCard('id-card'), simulator.removeCard('insurance-card')]);
    } catch (error) {
      setProblem(t('registration.demo.failed', { message: errorMessage(i18n.language, error) }));
    }
  };

  return (
    <section className="panel demo-panel" aria-label={t('registration.demo.title')}>
      <h3>{t('registration.demo.title')}</h3>
      {cards?.length === 0 && !problem && <p className="muted">{t('registration.demo.unavailable')}</p>}
      <ul className="demo-cards">
        {cards?.map((card) => (
          <li key={card.id}>
            <button type="button" onClick={() => void place(card.id)} data-sample={card.id}>
              {t('registration.demo.place')} · {inLanguage(i18n.language, card.label)}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void remove()}>
        {t('registration.demo.remove')}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
