import type { EventPayload } from '../../../app/contract.ts';
import { subscribe } from './client.ts';

type TaskEnd = EventPayload<'taskFinished'>;

/** Ends kept, newest last: enough for every task a window can have started in the moment it waits for an answer. */
const KEPT = 100;
const ends = new Map<string, TaskEnd>();
let listening = false;

/**
 * A task can end before the call that started it has answered: a check made while the file was read is already
 * done, a tiny file is read at once, and its `taskFinished` may come over another channel than the answer. A store
 * calls `rememberTaskEnds` before it starts a task and `endedAlready` once it knows the task's id, and takes up an
 * end that came early as if it had come after.
 */
export function rememberTaskEnds(): void {
  if (listening) return;
  listening = true;
  subscribe('taskFinished', (end) => {
    ends.set(end.taskId, end);
    if (ends.size > KEPT) ends.delete(ends.keys().next().value ?? '');
  });
}

/** The end of `taskId`, if it came before its start was answered. */
export function endedAlready(taskId: string): TaskEnd | undefined {
  return ends.get(taskId);
}
