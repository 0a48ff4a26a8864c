/**
 * First-run wizard (首次运行向导), loaded when it is first shown (SetupWizardSteps.tsx): a clinic PC
 * runs it once, so its steps, forms and device table stay out of the sign-in screen's cold start.
 */
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { DeviceAssignment } from '../../core/contract/workstation-api.ts';
import type { Enrolment, FetchLike } from '../../services/setup/setup-model.ts';

export interface SetupResult {
  hubUrl: string;
  enrolment: Enrolment | null;
  assignments: DeviceAssignment[];
  /** The printer for tickets and reports; null: the system default (print dialog). */
  printerName: string | null;
}

export interface SetupWizardProps {
  initialHubUrl?: string;
  initialPrinterName?: string | null;
  /** Offer "enrol later" (the app itself needs an enrolment to sign anyone in, so it passes false). */
  allowSkipEnrolment?: boolean;
  fetchImpl?: FetchLike;
  onComplete(result: SetupResult): void;
}

const SetupWizardSteps = lazy(() => import('./SetupWizardSteps.tsx').then((m) => ({ default: m.SetupWizardSteps })));

export function SetupWizard(props: SetupWizardProps) {
  return (
    <Suspense fallback={<Spin />}>
      <SetupWizardSteps {...props} />
    </Suspense>
  );
}
