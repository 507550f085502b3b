import type { TaskFinished } from '../../app/contract.ts';
import type { Services } from '../../main/services/index.ts';

/** Calls main's service layer as a host would, failing the test on a typed error. */
export async function call<T>(services: Services, name: string, args: unknown): Promise<T> {
  const answer = await services.dispatch(name, args);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

/** Resolves with the end of a background task (a read, a preview). */
export function taskEnd(services: Services, taskId: string): Promise<TaskFinished> {
  return new Promise((resolve) => {
    const stop = services.bus.on('taskFinished', (end) => {
      if (end.taskId !== taskId) return;
      stop();
      resolve(end);
    });
  });
}
