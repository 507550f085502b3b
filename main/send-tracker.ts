import type { RunProgress } from '../app/contract.ts';

/** What the desktop shell shows of the sends in progress: the taskbar/dock bar and notifications. */
export interface DesktopSignal {
  /** The progress bar: a fraction with its mode, or null to clear it. */
  bar: { value: number; mode: 'normal' | 'paused' | 'error' } | null;
  /** A notification to show when the window is in the background, or null. */
  notice: { title: string; body: string } | null;
}

/**
 * Follows every run's progress for the desktop shell (`main/electron/index.ts`), which only carries out what this
 * says: whether a send is going (quitting then asks first), the taskbar/dock bar, and one notification when a run
 * ends or stops for the user (a refused token). Host-agnostic, so it is tested without Electron.
 */
export class SendTracker {
  readonly #active = new Set<string>();
  readonly #told = new Map<string, string>();

  /** Whether a send is going or paused: quitting would stop it. */
  get sending(): boolean {
    return this.#active.size > 0;
  }

  /** Forgets the sends (the user chose to quit anyway). */
  clear(): void {
    this.#active.clear();
  }

  update(progress: RunProgress): DesktopSignal {
    const active = progress.state === 'sending' || progress.state === 'paused';
    if (active) this.#active.add(progress.runId);
    else this.#active.delete(progress.runId);
    const bar =
      active && progress.batchesTotal > 0
        ? {
            value: progress.batchesDone / progress.batchesTotal,
            mode:
              progress.needs !== null
                ? ('error' as const)
                : progress.state === 'paused'
                  ? ('paused' as const)
                  : ('normal' as const),
          }
        : null;
    return { bar, notice: this.#notice(progress) };
  }

  /** Each moment worth a notification is told once per run. */
  #notice(progress: RunProgress): DesktopSignal['notice'] {
    const counts = `${progress.accepted.toLocaleString('en-US')} accepted, ${progress.rejected.toLocaleString('en-US')} rejected.`;
    const moment =
      progress.state === 'finished'
        ? { key: 'finished', title: 'Import finished', body: counts }
        : progress.state === 'cancelled'
          ? { key: 'cancelled', title: 'Import cancelled', body: `${counts} The rest can be sent later.` }
          : progress.needs === 'token'
            ? {
                key: 'token',
                title: 'Import waiting for a new token',
                body: 'Vitally refused the token. Paste a new one in the app to go on; nothing is lost.',
              }
            : null;
    if (!moment) {
      // Going again: a later stop is worth telling.
      if (progress.state === 'sending') this.#told.delete(progress.runId);
      return null;
    }
    if (this.#told.get(progress.runId) === moment.key) return null;
    this.#told.set(progress.runId, moment.key);
    return { title: moment.title, body: moment.body };
  }
}
