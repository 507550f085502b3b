import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A users file (`Account ID,User ID,Seats`, one row per user, accounts repeating every `accounts` rows) loaded and
 * mapped with the suggested mapping; `badSeats` is the user number whose Seats cell cannot be read.
 */
export async function loadMappedUsers(
  services: Services,
  dir: string,
  options: { users: number; accounts: number; badSeats: number },
): Promise<string> {
  const path = join(dir, 'users.csv');
  const lines = ['Account ID,User ID,Seats'];
  for (let i = 1; i <= options.users; i++) {
    lines.push(`A${i % options.accounts},U${i},${i === options.badSeats ? 'many' : i}`);
  }
  writeFileSync(path, lines.join('\n'));
  const load = await call<{ taskId: string; fileId: string }>(services, 'loadFile', { source: { kind: 'path', path } });
  await taskEnd(services, load.taskId);
  const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId: load.fileId });
  await call(services, 'saveMapping', { fileId: load.fileId, mapping });
  return load.fileId;
}
