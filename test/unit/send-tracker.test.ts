import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../app/contract.ts';
import { SendTracker } from '../../main/send-tracker.ts';

const RUN = '7a0c1c9e-2f7e-4f43-9a55-6c1b7d0f3e21';
const progress = (state: RunProgress['state'], done: number, extra: Partial<RunProgress> = {}): RunProgress => ({
  runId: RUN,
  state,
  accepted: done * 100,
  rejected: 0,
  unknown: 0,
  alreadyAccepted: 0,
  pending: (10 - done) * 100,
  batchesDone: done,
  batchesTotal: 10,
  status: '',
  needsAttention: false,
  needs: null,
  ...extra,
});

describe('what the desktop shows of a send', () => {
  it('follows the send in the taskbar, paused and stopped for a token in their own modes, and clears it at the end', () => {
    const tracker = new SendTracker();
    expect(tracker.update(progress('sending', 3)).bar).toEqual({ value: 0.3, mode: 'normal' });
    expect(tracker.sending).toBe(true);
    expect(tracker.update(progress('paused', 4)).bar).toEqual({ value: 0.4, mode: 'paused' });
    expect(tracker.sending).toBe(true);
    expect(tracker.update(progress('paused', 4, { needs: 'token' })).bar).toEqual({ value: 0.4, mode: 'error' });
    expect(tracker.update(progress('finished', 10)).bar).toBeNull();
    expect(tracker.sending).toBe(false);
  });

  it('tells of an end, or of a refused token, once each', () => {
    const tracker = new SendTracker();
    expect(tracker.update(progress('sending', 1)).notice).toBeNull();
    const refused = progress('paused', 2, { needs: 'token' });
    expect(tracker.update(refused).notice?.title).toBe('Import waiting for a new token');
    expect(tracker.update(refused).notice).toBeNull();
    tracker.update(progress('sending', 3));
    expect(tracker.update(progress('finished', 10, { rejected: 1 })).notice).toEqual({
      title: 'Import finished',
      body: '1,000 accepted, 1 rejected.',
    });
    expect(tracker.update(progress('finished', 10, { rejected: 1 })).notice).toBeNull();
  });

  it('lets the app quit without asking once the user chose to', () => {
    const tracker = new SendTracker();
    tracker.update(progress('sending', 1));
    tracker.clear();
    expect(tracker.sending).toBe(false);
  });
});
