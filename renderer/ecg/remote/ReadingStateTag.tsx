/**
 * A sent study's state in words and colour (issue 14 item 6): 排队中 / 上传中 n% / 已送达 / 阅片中 /
 * 已出报告 — grey waiting, blue moving, teal arrived, amber being read, green reported. The one place
 * these words and colours are chosen: the ECG screen, the queue and the consultation's history use it.
 */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DisplayedState } from '../../../services/remote-diagnosis/sent-studies.ts';

const colours: Record<DisplayedState['state'], string> = {
  queued: 'default',
  uploading: 'processing',
  received: 'cyan',
  'being-read': 'gold',
  reported: 'success',
};

export function ReadingStateTag({ shown }: { shown: DisplayedState }) {
  const { t } = useTranslation();
  return (
    <Tag color={colours[shown.state]} data-testid="sent-study-state" data-state={shown.state}>
      {shown.state === 'uploading' ? t('remote.states.uploadingPercent', { percent: shown.percent ?? 0 }) : t(`remote.states.${shown.state}`)}
    </Tag>
  );
}
