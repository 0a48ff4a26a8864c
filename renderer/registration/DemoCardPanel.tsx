import { Alert, Button, Card, Select, Space } from 'antd';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, inLanguage } from '../app/messages.ts';
import type { SampleCard, SimulatorControls } from '../../services/platform/simulator.ts';

/**
 * A real reader reads a card once and then waits for it to be lifted (devices/id-card/driver.ts); it
 * polls every 250 ms, so the field must be seen empty for at least one poll before the next card.
 */
export const liftPauseMs = 700;

/**
 * Demo mode only: put one of the agent's sample cards on the simulated reader. A card already lying
 * there is lifted first, as a nurse would, so the next sample is read (issue 14 item 9: a second
 * card used to be ignored silently). The samples are a list to choose from and one 放置 button, so
 * the panel stays a few lines high beside the form at 1366×768.
 */
export function DemoCardPanel({ simulator, pauseMs = liftPauseMs }: { simulator: SimulatorControls; pauseMs?: number }) {
  const { t, i18n } = useTranslation();
  const [cards, setCards] = useState<SampleCard[] | null>(null);
  const [problem, setProblem] = useState('');
  const [onReader, setOnReader] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const choiceId = useId();

  useEffect(() => {
    let cancelled = false;
    simulator.listSampleCards().then(
      (list) => !cancelled && (setCards(list), setChosen((c) => c ?? list[0]?.id)),
      (error: unknown) => !cancelled && (setCards([]), setProblem(errorMessage(i18n.language, error))),
    );
    return () => {
      cancelled = true;
    };
  }, [simulator, i18n.language]);

  const lift = () => Promise.all([simulator.removeCard('id-card'), simulator.removeCard('insurance-card')]);

  const place = async (id: string) => {
    setProblem('');
    setBusy(true);
    try {
      if (onReader !== null) {
        await lift();
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      await simulator.placeCard(id);
      setOnReader(id);
    } catch (error) {
      setProblem(t('registration.demo.failed', { message: errorMessage(i18n.language, error) }));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setProblem('');
    try {
      await lift();
      setOnReader(null);
    } catch (error) {
      setProblem(t('registration.demo.failed', { message: errorMessage(i18n.language, error) }));
    }
  };
  const labelOf = (id: string) => {
    const card = cards?.find((c) => c.id === id);
    return card ? inLanguage(i18n.language, card.label) : id;
  };

  return (
    <Card size="small" className="demo-panel" title={t('registration.demo.title')} role="region" aria-label={t('registration.demo.title')}>
      {cards?.length === 0 && !problem && <p className="muted">{t('registration.demo.unavailable')}</p>}
      {cards && cards.length > 0 && (
        <Space.Compact block>
          <Select
            id={choiceId}
            aria-label={t('registration.demo.sample')}
            className="demo-sample"
            value={chosen}
            onChange={setChosen}
            popupMatchSelectWidth={false}
            options={cards.map((card) => ({ value: card.id, label: inLanguage(i18n.language, card.label), 'data-sample': card.id }))}
          />
          <Button type="primary" ghost disabled={busy || chosen === undefined} onClick={() => chosen !== undefined && void place(chosen)}>
            {t('registration.demo.place')}
          </Button>
          <Button disabled={busy || onReader === null} onClick={() => void remove()}>
            {t('registration.demo.remove')}
          </Button>
        </Space.Compact>
      )}
      <p className="muted demo-on-reader" role="status" data-testid="demo-card-on-reader" data-on-reader={onReader ?? ''}>
        {busy && onReader !== null ? t('registration.demo.swapping') : onReader !== null ? t('registration.demo.onReader', { card: labelOf(onReader) }) : t('registration.demo.empty')}
      </p>
      {problem && <Alert type="error" showIcon title={problem} />}
    </Card>
  );
}
