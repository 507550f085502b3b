import type { ReactElement, ReactNode } from 'react';

/**
 * One figure in a `stats` list (Preview's summary, the Send step's progress): its name, its value, and what more
 * it says underneath (`children`). `error` marks a figure that counts something gone wrong, when there is any.
 */
export function Stat(props: {
  label: string;
  value: ReactNode;
  testId?: string;
  error?: boolean;
  children?: ReactNode;
}): ReactElement {
  const { label, value, testId, error, children } = props;
  return (
    <div className={error === undefined ? undefined : error ? 'stat--error' : ''}>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {value}
        {children}
      </dd>
    </div>
  );
}
