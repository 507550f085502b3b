import { useEffect, useRef, type ReactElement } from 'react';
import { useWizard } from '../stores/wizard.ts';
import { STEPS, stepDefinition, stepIndex, stepStatus, type StepId } from '../wizard/steps.ts';
import { Icon } from '../components/Icon.tsx';
import { StepBody } from './StepBody.tsx';

/** One wizard step: its title, its content, and Back / Continue. */
export function StepPage({ step }: { step: StepId }): ReactElement {
  const definition = stepDefinition(step);
  const index = stepIndex(step);
  const facts = useWizard((s) => s.facts);
  const goTo = useWizard((s) => s.goTo);
  const previous = STEPS[index - 1];
  const next = STEPS[index + 1];
  const nextStatus = next ? stepStatus(next.id, facts) : null;
  const heading = useRef<HTMLHeadingElement>(null);
  const mounted = useRef(false);

  // When the user moves to another step, focus its title so keyboard and screen-reader users start there.
  useEffect(() => {
    if (mounted.current) heading.current?.focus();
    mounted.current = true;
  }, [step]);

  return (
    <article className="step-page" aria-labelledby="step-title" data-step-page={step}>
      <header className="step-page__header">
        <p className="step-page__eyebrow">
          Step {index + 1} of {STEPS.length}
        </p>
        <h1 id="step-title" ref={heading} tabIndex={-1}>
          {definition.title}
        </h1>
        <p className="step-page__summary">{definition.summary}</p>
      </header>
      <div className="step-page__body">
        <StepBody step={step} />
      </div>
      <footer className="step-page__footer">
        {previous ? (
          <button type="button" className="button" onClick={() => goTo(previous.id)}>
            <Icon name="arrowLeft" size={16} /> Back to {previous.title}
          </button>
        ) : (
          <span />
        )}
        {next && nextStatus ? (
          <div className="step-page__next">
            {nextStatus.kind === 'locked' ? (
              <span className="step-page__hint" id="next-hint">
                {nextStatus.reason}
              </span>
            ) : null}
            <button
              type="button"
              className="button button--primary"
              disabled={nextStatus.kind === 'locked'}
              aria-describedby={nextStatus.kind === 'locked' ? 'next-hint' : undefined}
              onClick={() => goTo(next.id)}
            >
              Continue to {next.title} <Icon name="arrowRight" size={16} />
            </button>
          </div>
        ) : null}
      </footer>
    </article>
  );
}
