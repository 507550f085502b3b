import { describe, expect, it, vi } from 'vitest';
import { freshStoreEachTest, installBridge } from '../support/bridge.ts';

const TASK = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const FILE = '0b7d3a4e-8d1f-4a44-9a59-0f4d7f1c2e11';
const READY = {
  id: FILE,
  name: 'accounts.csv',
  size: 10,
  modifiedAt: '2026-11-23T00:00:00.000Z',
  openedAt: '2026-11-23T00:00:00.000Z',
  state: 'ready',
  problem: null,
  settings: {},
  result: { rowCount: 2 },
};

describe('the upload store, following a read main started (File › Open… in the desktop app)', () => {
  freshStoreEachTest();

  it('shows progress, then the file, and opens Map', async () => {
    const emit = installBridge({
      getFile: () => ({ ok: true, value: READY }),
      listRecentFiles: () => ({ ok: true, value: [] }),
    });
    const { useUpload } = await import('../../renderer/src/stores/upload.ts');
    const { useWizard } = await import('../../renderer/src/stores/wizard.ts');
    useUpload.getState().follow(TASK, 'accounts.csv');
    expect(useUpload.getState()).toMatchObject({ phase: 'reading', pendingName: 'accounts.csv' });
    emit('progress', { taskId: TASK, value: 0.5, title: 'Reading accounts.csv', description: '1 rows read' });
    expect(useUpload.getState()).toMatchObject({ progress: 0.5, progressText: '1 rows read' });
    emit('progress', { taskId: 'another-task', value: 0.9, title: '', description: '' });
    expect(useUpload.getState().progress).toBe(0.5);
    emit('taskFinished', { taskId: TASK, fileId: FILE, outcome: 'done', message: null });
    await vi.waitFor(() => expect(useUpload.getState().phase).toBe('ready'));
    expect(useUpload.getState().file?.name).toBe('accounts.csv');
    expect(useWizard.getState().facts.fileLoaded).toBe(true);
  });

  it('says why a file could not be read, and keeps Map closed', async () => {
    const emit = installBridge({});
    const { useUpload } = await import('../../renderer/src/stores/upload.ts');
    const { useWizard } = await import('../../renderer/src/stores/wizard.ts');
    useUpload.getState().follow(TASK, 'photo.csv');
    emit('taskFinished', { taskId: TASK, fileId: FILE, outcome: 'failed', message: '“photo.csv” is a PNG image.' });
    expect(useUpload.getState()).toMatchObject({ phase: 'failed', error: '“photo.csv” is a PNG image.' });
    expect(useWizard.getState().facts.fileLoaded).toBe(false);
  });

  it('shows a file whose read ended before the call that started it answered', async () => {
    const emit = installBridge({
      getFile: () => ({ ok: true, value: READY }),
      listRecentFiles: () => ({ ok: true, value: [] }),
      openRecentFile: () => {
        emit('taskFinished', { taskId: TASK, fileId: FILE, outcome: 'done', message: null });
        return { ok: true, value: { taskId: TASK, fileId: FILE } };
      },
    });
    const { useUpload } = await import('../../renderer/src/stores/upload.ts');
    await useUpload.getState().openRecent(FILE);
    await vi.waitFor(() => expect(useUpload.getState().phase).toBe('ready'));
    expect(useUpload.getState().file?.name).toBe('accounts.csv');
  });
});
