/**
 * A sent study's state in words and colour (issue 14 item 6): 排队中 / 上传中 n% / 已送达 / 阅片中 /
 * 已出报告 — grey waiting, blue moving, teal arrived, amber being read, green reported (ecg.css).
 * The same words on the ECG screen, in the queue and in the consultation's history.
 */
import { useTranslation } from 'react-i18next';
import type { DisplayedState } from '../../../services/remote-diagnosis/sent-studies.ts';

export function ReadingStateTag({ shown }: { shown: DisplayedState }) {
  const { t } = useTranslation();
  return (
    <span className={`reading-state reading-state-${shown.state}`} data-testid="sent-study-state" data-state={shown.state}>
      {shown.state === 'uploading' ? t('remote.states.uploadingPercent', { percent: shown.percent ?? 0 }) : t(`remote.states.${shown.state}`)}
    </span>
  );
}
