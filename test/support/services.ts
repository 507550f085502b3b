import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunProgress, TaskFinished, Workspace } from '../../app/contract.ts';
import { createMemoryLogger } from '../../main/log.ts';
import { pathsIn } from '../../main/paths.ts';
import { createServices, type Services, type ServicesOptions } from '../../main/services/index.ts';
import { tempDir } from './temp.ts';

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

/** Resolves with the first progress of the run in one of `states` (by default, any end). */
export function runEnd(
  services: Services,
  runId: string,
  states: RunProgress['state'][] = ['finished', 'cancelled'],
): Promise<RunProgress> {
  return new Promise((resolve) => {
    const stop = services.bus.on('runProgress', (p) => {
      if (p.runId !== runId || !states.includes(p.state)) return;
      stop();
      resolve(p);
    });
  });
}

/** Adds a workspace at the emulator's address with its token (for this session) and chooses it. */
export async function useEmulator(
  services: Services,
  emulator: { baseUrl: string; config: { token: string } },
): Promise<Workspace> {
  const workspace = await call<Workspace>(services, 'saveWorkspace', {
    name: 'Emulator',
    address: emulator.baseUrl,
    token: emulator.config.token,
    sessionOnly: true,
  });
  await call(services, 'updateSettings', { workspaceId: workspace.id });
  return workspace;
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
  const lines = ['Account ID,User ID,Seats'];
  for (let i = 1; i <= options.users; i++) {
    lines.push(`A${i % options.accounts},U${i},${i === options.badSeats ? 'many' : i}`);
  }
  const fileId = await loadCsv(services, dir, 'users.csv', lines.join('\n'));
  const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId });
  await call(services, 'saveMapping', { fileId, mapping });
  return fileId;
}

/** The desktop host's services over a fresh data folder in `dir`, with no keychain (tokens kept in memory). */
export function desktopServices(dir: string, options: Partial<ServicesOptions> = {}): Services {
  return createServices({
    host: 'electron',
    paths: pathsIn(join(dir, 'data')),
    log: createMemoryLogger(),
    keychain: null,
    ...options,
  });
}

/** Writes `text` as the file `name` in `dir`, loads it, and resolves with its id once it is read. */
export async function loadCsv(services: Services, dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const load = await call<{ taskId: string; fileId: string }>(services, 'loadFile', { source: { kind: 'path', path } });
  await taskEnd(services, load.taskId);
  return load.fileId;
}

/** Runs `test` with desktop services on a fresh data folder (`dir`, where files to load may be written), then closes them. */
export async function withDesktopServices<T>(test: (services: Services, dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  const services = desktopServices(dir);
  try {
    return await test(services, dir);
  } finally {
    await services.close();
  }
}
