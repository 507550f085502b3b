/**
 * Who is sending a run: one sender (a send worker) at a time, across windows, tabs and app instances. The owner
 * is `<pid>:<random id>`, refreshed every few seconds while the sender lives; a run whose owner's process is gone
 * or whose heartbeat stopped may be taken over (`claim`) and, after a crash, recovered.
 */
export const OWNER_STALE_MS = 20_000;

export interface OwnerCheck {
  now: number;
  /** Whether a process with this id is alive (a dead owner's runs can be taken over at once). */
  isAlive: (pid: number) => boolean;
}

/** Whether a run's recorded owner still lives: its process is alive and its heartbeat recent. */
export function ownerAlive(owner: string | null, seen: number, check: OwnerCheck): boolean {
  if (!owner) return false;
  const pid = Number(owner.split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !check.isAlive(pid)) return false;
  return check.now - seen < OWNER_STALE_MS;
}

/** `process.kill(pid, 0)`: alive unless the system says there is no such process. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const liveOwners = (): OwnerCheck => ({ now: Date.now(), isAlive: processAlive });

/** Another sender lives for this run, or for another run of the same file. */
export class RunBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunBusyError';
  }
}
