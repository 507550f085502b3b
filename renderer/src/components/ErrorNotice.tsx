import type { ReactElement, ReactNode } from 'react';
import { Icon } from './Icon.tsx';

/**
 * A failure said in plain words, with the alert icon, announced as it appears. `testId` marks the words;
 * `children` follow them (a way on: Try again, Dismiss).
 */
export function ErrorNotice(props: { message: ReactNode; testId?: string; children?: ReactNode }): ReactElement {
  const { message, testId, children } = props;
  return (
    <div className="notice notice--error" role="alert">
      <Icon name="alert" /> <span data-testid={testId}>{message}</span>
      {children}
    </div>
  );
}
