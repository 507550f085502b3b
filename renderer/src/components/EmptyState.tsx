import type { ReactElement, ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

/** What a screen shows when there is nothing in it yet: what this is, and what to do next. */
export function EmptyState(props: {
  icon: IconName;
  title: string;
  children: ReactNode;
  action?: ReactNode;
  tone?: 'neutral' | 'locked';
}): ReactElement {
  return (
    <section className={`empty-state empty-state--${props.tone ?? 'neutral'}`} aria-label={props.title}>
      <div className="empty-state__icon">
        <Icon name={props.icon} size={28} />
      </div>
      <h2 className="empty-state__title">{props.title}</h2>
      <div className="empty-state__body">{props.children}</div>
      {props.action ? <div className="empty-state__action">{props.action}</div> : null}
    </section>
  );
}
