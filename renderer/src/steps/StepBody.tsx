import type { ReactElement } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';
import type { IconName } from '../components/Icon.tsx';
import { useWizard } from '../stores/wizard.ts';
import { stepDefinition, stepStatus, type StepId } from '../wizard/steps.ts';
import { ConnectStep } from './ConnectStep.tsx';
import { MapStep } from './MapStep.tsx';
import { PreviewStep } from './PreviewStep.tsx';
import { ResultsStep } from './ResultsStep.tsx';
import { SendStep } from './SendStep.tsx';
import { UploadStep } from './UploadStep.tsx';

const ICONS: Record<StepId, IconName> = {
  connect: 'plug',
  upload: 'upload',
  map: 'columns',
  preview: 'eye',
  send: 'send',
  results: 'chart',
};

/** The view each step opens on. */
const VIEWS: Record<StepId, () => ReactElement> = {
  connect: ConnectStep,
  upload: UploadStep,
  map: MapStep,
  preview: PreviewStep,
  send: SendStep,
  results: ResultsStep,
};

/** What each step shows when opened, or why it cannot be opened yet. */
export function StepBody({ step }: { step: StepId }): ReactElement {
  const facts = useWizard((s) => s.facts);
  const goTo = useWizard((s) => s.goTo);
  const status = stepStatus(step, facts);

  if (status.kind === 'locked') {
    const target = stepDefinition(status.unlockStep);
    return (
      <EmptyState
        icon={ICONS[step]}
        tone="locked"
        title={status.reason}
        action={
          <button type="button" className="button button--primary" onClick={() => goTo(status.unlockStep)}>
            Go to {target.title}
          </button>
        }
      >
        <p>{LOCKED_EXPLANATIONS[step]}</p>
      </EmptyState>
    );
  }
  const View = VIEWS[step];
  return <View />;
}

const LOCKED_EXPLANATIONS: Record<StepId, string> = {
  connect: '',
  upload: '',
  map:
    'Here you will say what each row becomes in Vitally — accounts, users, organizations, events or custom ' +
    'objects — and which column is which field or trait. Suggestions are made from your headers and values.',
  preview:
    'Here you will see every problem the app finds, by row and column, fix or exclude those rows, and read the ' +
    'exact batches that will be sent.',
  send:
    'Here you will send the batches to Vitally, with live progress you can pause, resume or cancel. A trial send ' +
    'of the first rows comes first.',
  results: 'Here you will see what Vitally accepted, what it rejected and why, export the failed rows and re-run them.',
};
