import type { ReactElement } from 'react';
import { useWizard } from '../stores/wizard.ts';
import { STEPS, stepStatus } from '../wizard/steps.ts';
import { Icon } from './Icon.tsx';

/**
 * The list of steps down the side: where the user is (`aria-current`), what is done (a check), and what is not
 * yet possible (a lock and the reason, which opening the step explains further).
 */
export function StepNav(): ReactElement {
  const view = useWizard((s) => s.view);
  const facts = useWizard((s) => s.facts);
  const goTo = useWizard((s) => s.goTo);
  const showHistory = useWizard((s) => s.showHistory);

  return (
    <nav className="step-nav" aria-label="Import steps">
      <ol className="step-nav__list">
        {STEPS.map((step, index) => {
          const status = stepStatus(step.id, facts);
          const current = view.kind === 'step' && view.step === step.id;
          const locked = status.kind === 'locked';
          const state = current ? 'current' : status.kind;
          const detail = locked ? status.reason : status.kind === 'done' ? 'Done' : step.summary;
          return (
            <li key={step.id}>
              <button
                type="button"
                className={`list-button step-nav__item step-nav__item--${state}${current ? ' list-button--current' : ''}`}
                aria-current={current ? 'step' : undefined}
                aria-describedby={`step-detail-${step.id}`}
                onClick={() => goTo(step.id)}
                data-step={step.id}
              >
                <span className="step-nav__marker" aria-hidden="true">
                  {status.kind === 'done' ? (
                    <Icon name="check" size={14} />
                  ) : locked ? (
                    <Icon name="lock" size={13} />
                  ) : (
                    index + 1
                  )}
                </span>
                <span className="step-nav__text">
                  <span className="step-nav__title">{step.title}</span>
                  <span className="step-nav__detail" id={`step-detail-${step.id}`} aria-hidden="true">
                    {detail}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      <div className="step-nav__divider" role="presentation" />
      <button
        type="button"
        className={`list-button step-nav__item step-nav__item--history${view.kind === 'history' ? ' step-nav__item--current list-button--current' : ''}`}
        aria-current={view.kind === 'history' ? 'page' : undefined}
        onClick={showHistory}
      >
        <span className="step-nav__marker" aria-hidden="true">
          <Icon name="history" size={14} />
        </span>
        <span className="step-nav__text">
          <span className="step-nav__title">History</span>
          <span className="step-nav__detail" aria-hidden="true">
            Every past import
          </span>
        </span>
      </button>
    </nav>
  );
}
