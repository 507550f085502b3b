/** The words and formats of an opened import: type names, outcome labels, filters, dates and durations. */
import { TYPE_WORDS, type RunDetails, type RunRow, type RunRowFilter, type TypeCounts } from '../../../app/contract.ts';

export const numbers = new Intl.NumberFormat();
export const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const TYPE_NAMES: Record<string, string> = {
  organization: 'Organizations',
  account: 'Accounts',
  user: 'Users',
  track: 'Events',
  customobjectinstance: 'Custom objects',
  unlink: 'Unlinks',
};

/** A message type in words, singular ("event"). */
export const ONE_TYPE: Readonly<Record<string, string>> = TYPE_WORDS;

export const OUTCOME_LABELS: Record<RunRow['outcome'], string> = {
  accepted: 'Accepted',
  rejected: 'Refused',
  unknown: 'Unconfirmed',
  'not-sent': 'Not sent',
  'left-out': 'Already accepted',
};

export const FILTERS: { id: RunRowFilter; label: string; count: (t: TypeCounts) => number }[] = [
  { id: 'failed', label: 'Failed', count: (t) => t.rejected + t.unknown },
  { id: 'rejected', label: 'Refused', count: (t) => t.rejected },
  { id: 'unknown', label: 'Unconfirmed', count: (t) => t.unknown },
  { id: 'accepted', label: 'Accepted', count: (t) => t.accepted },
  { id: 'not-sent', label: 'Not sent', count: (t) => t.notSent },
  { id: 'left-out', label: 'Already accepted', count: (t) => t.leftOut },
  { id: 'all', label: 'All', count: (t) => t.accepted + t.rejected + t.unknown + t.notSent + t.leftOut },
];

export function stateWords(details: RunDetails): string {
  if (details.live) return details.state === 'paused' ? 'paused' : 'being sent now';
  return (
    {
      planned: 'not started',
      sending: 'sending',
      paused: 'paused',
      interrupted: 'interrupted when the app closed',
      finished: 'finished',
      cancelled: 'cancelled',
    } as const
  )[details.state];
}

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A batch's number as people count (1, not 0); a part after a refusal keeps its parent's number. */
export function batchLabel(id: string): string {
  const [first, ...rest] = id.split('.');
  return [String(Number(first) + 1), ...rest].join('.');
}

export function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function shorten(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}…` : value;
}
