import { describe, expect, it, vi } from 'vitest';
import type { PreviewState } from '../../app/contract.ts';
import { answer, freshStoreEachTest, installBridge } from '../support/bridge.ts';

const FILE = '0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11';
const OTHER_FILE = '1c8e4b5f-9e2a-4b55-8b6a-1f5e8a2d3f22';
const MINE = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const THEIRS = '7a2d3e4f-5b6c-4d7e-9f0a-1b2c3d4e5f60';
const none: PreviewState = { state: 'none', runTimestamp: null, summary: null, problem: null };
const building: PreviewState = { state: 'building', runTimestamp: null, summary: null, problem: null };
const ready: PreviewState = {
  state: 'ready',
  runTimestamp: '2026-11-23T10:00:00.000Z',
  summary: {
    rows: 10,
    repeatsSkipped: 0,
    sendableRows: 10,
    excludedRows: 0,
    editedCells: 0,
    editedRows: 0,
    errorRows: 0,
    warningRows: 0,
    messages: 10,
    messagesByType: { user: 10 },
    batches: 1,
    bytes: 900,
  },
  problem: null,
};

describe('the preview store, when another check of the file takes over', () => {
  freshStoreEachTest();

  it('shows the check another window started once it ends, instead of "checking" forever', async () => {
    let preview = none;
    const emit = installBridge({
      getPreview: () => answer(preview),
      listBatches: () => answer({ batches: [] }),
      startPreview: () => {
        preview = building;
        return answer({ taskId: MINE, fileId: FILE });
      },
    });
    const { usePreview } = await import('../../renderer/src/stores/preview.ts');
    await usePreview.getState().open(FILE);
    await vi.waitFor(() => expect(usePreview.getState().taskId).toBe(MINE));

    // A second tab on the same file starts its own check: this tab's is stopped, the other goes on.
    emit('taskFinished', { taskId: MINE, fileId: FILE, outcome: 'cancelled', message: null });
    await vi.waitFor(() =>
      expect(usePreview.getState()).toMatchObject({ taskId: null, preview: { state: 'building' } }),
    );

    // The other tab's check ends: this tab shows it.
    preview = ready;
    emit('taskFinished', { taskId: THEIRS, fileId: FILE, outcome: 'done', message: null });
    await vi.waitFor(() => expect(usePreview.getState().preview?.state).toBe('ready'));
    expect(usePreview.getState().summary?.rows).toBe(10);
  });

  it("does not show another file's check, nor wait on it, when the user turns to another file meanwhile", async () => {
    const previews: Record<string, PreviewState> = { [FILE]: none, [OTHER_FILE]: building };
    let started = 0;
    const emit = installBridge({
      getPreview: (args) => answer(previews[(args as { fileId: string }).fileId]),
      listBatches: () => answer({ batches: [] }),
      startPreview: (args) => {
        const { fileId } = args as { fileId: string };
        started++;
        previews[fileId] = building;
        return answer({ taskId: fileId === FILE ? MINE : THEIRS, fileId });
      },
    });
    const { usePreview } = await import('../../renderer/src/stores/preview.ts');
    await usePreview.getState().open(FILE);
    await vi.waitFor(() => expect(usePreview.getState().taskId).toBe(MINE));

    // The user opens another file whose check (started elsewhere) is going on, then the first file's check ends.
    await usePreview.getState().open(OTHER_FILE);
    previews[FILE] = ready;
    emit('taskFinished', { taskId: MINE, fileId: FILE, outcome: 'done', message: null });
    // The other file's check ends too: it is the one shown.
    previews[OTHER_FILE] = { ...ready, summary: ready.summary && { ...ready.summary, rows: 20 } };
    emit('taskFinished', { taskId: THEIRS, fileId: OTHER_FILE, outcome: 'done', message: null });
    await vi.waitFor(() => expect(usePreview.getState().preview?.state).toBe('ready'));
    expect(usePreview.getState()).toMatchObject({ fileId: OTHER_FILE, summary: { rows: 20 } });
    expect(started).toBeGreaterThanOrEqual(1);
  });
});
