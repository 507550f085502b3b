import { describe, expect, it, vi } from 'vitest';
import type { PreviewState, PreviewSummary } from '../../app/contract.ts';
import { answer, freshStoreEachTest, installBridge } from '../support/bridge.ts';

const FILE = '0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11';
const TASK = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const summary = (errorRows: number): PreviewSummary => ({
  rows: 10,
  repeatsSkipped: 0,
  sendableRows: 10 - errorRows,
  excludedRows: 0,
  editedCells: 2 - errorRows,
  editedRows: 2 - errorRows,
  errorRows,
  warningRows: 0,
  messages: 10 - errorRows,
  messagesByType: { user: 10 - errorRows },
  batches: 1,
  bytes: 900,
});
const ready = (errorRows: number): PreviewState => ({
  state: 'ready',
  runTimestamp: '2026-11-23T10:00:00.000Z',
  summary: summary(errorRows),
  problem: null,
});

describe('the preview store', () => {
  freshStoreEachTest();

  it('opens on the rows with errors, keeps the counts on screen while a correction is checked, then shows the new ones', async () => {
    let preview = ready(2);
    const calls: { name: string; args: unknown }[] = [];
    const emit = installBridge(
      {
        getPreview: () => answer(preview),
        listBatches: () => answer({ batches: [] }),
        editCell: () =>
          answer({ rowNumber: 4, cells: ['U3', '12'], edited: { '1': 'many' }, excluded: false, problems: [] }),
        startPreview: () => answer({ taskId: TASK, fileId: FILE }),
      },
      calls,
    );
    const { usePreview } = await import('../../renderer/src/stores/preview.ts');
    await usePreview.getState().open(FILE);
    expect(usePreview.getState()).toMatchObject({ filter: 'errors', summary: { errorRows: 2 } });
    const version = usePreview.getState().rowsVersion;

    const row = await usePreview.getState().editCell(4, 1, '12');
    expect(row?.cells).toEqual(['U3', '12']);
    // Checking again: the last counts stay, marked as being checked.
    await vi.waitFor(() => expect(usePreview.getState().preview?.state).toBe('building'));
    expect(calls.map((c) => c.name)).toContain('startPreview');
    expect(usePreview.getState().summary?.errorRows).toBe(2);

    preview = ready(1);
    emit('taskFinished', { taskId: TASK, fileId: FILE, outcome: 'done', message: null });
    await vi.waitFor(() => expect(usePreview.getState().summary?.errorRows).toBe(1));
    // The grid fetches its rows again, under the filter the user had.
    expect(usePreview.getState().rowsVersion).toBeGreaterThan(version);
    expect(usePreview.getState().filter).toBe('errors');
  });

  it('says in plain words where the desktop app saved the batches', async () => {
    installBridge({ getPreview: () => answer(ready(0)), listBatches: () => answer({ batches: [] }) });
    const bridge = (window as unknown as { vitally: Record<string, unknown> }).vitally;
    vi.stubGlobal('window', {
      vitally: new Proxy(bridge, {
        get: (target, name: string) =>
          name === 'saveBatches'
            ? () => Promise.resolve(answer({ path: '/home/ana/users batches.jsonl', batches: 12, download: null }))
            : target[name],
      }),
    });
    const { usePreview } = await import('../../renderer/src/stores/preview.ts');
    await usePreview.getState().open(FILE);
    await usePreview.getState().saveBatches();
    expect(usePreview.getState()).toMatchObject({
      saving: false,
      saved: { tone: 'ok', text: 'Saved 12 batches to /home/ana/users batches.jsonl.' },
    });
  });

  it('shows a check that ended before the call that started it answered (one made while the file was read)', async () => {
    let preview: PreviewState = { state: 'none', runTimestamp: null, summary: null, problem: null };
    const emit = installBridge({
      getPreview: () => answer(preview),
      listBatches: () => answer({ batches: [] }),
      startPreview: () => {
        // Main adopts a check already done: its end is out before the answer.
        preview = ready(0);
        emit('taskFinished', { taskId: TASK, fileId: FILE, outcome: 'done', message: null });
        return answer({ taskId: TASK, fileId: FILE });
      },
    });
    const { usePreview } = await import('../../renderer/src/stores/preview.ts');
    await usePreview.getState().open(FILE);
    await vi.waitFor(() => expect(usePreview.getState().summary?.errorRows).toBe(0));
    expect(usePreview.getState()).toMatchObject({ taskId: null, preview: { state: 'ready' } });
  });
});
