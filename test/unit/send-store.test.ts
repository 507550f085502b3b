import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunProgress } from '../../app/contract.ts';
import { installBridge } from '../support/bridge.ts';

const RUN = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

const progress = (done: number, pending: number, state: RunProgress['state'] = 'sending'): RunProgress => ({
  runId: RUN,
  state,
  accepted: done,
  rejected: 0,
  unknown: 0,
  alreadyAccepted: 0,
  pending,
  batchesDone: done / 100,
  batchesTotal: (done + pending) / 100,
  status: '',
  needsAttention: false,
  needs: null,
});

describe('the send store', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('measures the rate over the last seconds and says how long is left', async () => {
    const emit = installBridge({
      startSend: () => ({ ok: true, value: { runId: RUN } }),
      getRunProgress: () => ({ ok: true, value: progress(0, 12_000) }),
    });
    const { useSend } = await import('../../renderer/src/stores/send.ts');
    await useSend.getState().start('0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11');
    emit('runProgress', progress(0, 12_000));
    expect(useSend.getState().rate).toBeNull();
    vi.setSystemTime(new Date('2026-11-23T10:00:02Z'));
    emit('runProgress', progress(2000, 10_000));
    expect(useSend.getState().rate).toEqual({ perSecond: 1000, secondsLeft: 10 });
    emit('runProgress', progress(2000, 10_000, 'paused'));
    expect(useSend.getState().rate).toBeNull();
  });
});
