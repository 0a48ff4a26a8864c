/**
 * The consultation screen and the queue, loaded when first opened: they carry antd's Table, Form and
 * AutoComplete, which the registration desk's cold start should not wait for. Same names and props as
 * the screens themselves, so App.tsx only changes where it imports them from.
 */
import { lazy, Suspense, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';

const LoadedConsultationScreen = lazy(() => import('./ConsultationScreen.tsx').then((m) => ({ default: m.ConsultationScreen })));
const LoadedQueueList = lazy(() => import('./QueueList.tsx').then((m) => ({ default: m.QueueList })));

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('app.loading')}</p>;
}

export function ConsultationScreen() {
  return (
    <Suspense fallback={<Loading />}>
      <LoadedConsultationScreen />
    </Suspense>
  );
}

export function QueueList(props: ComponentProps<typeof LoadedQueueList>) {
  return (
    <Suspense fallback={<Loading />}>
      <LoadedQueueList {...props} />
    </Suspense>
  );
}
