/**
 * `vitally-importer --self-check`: the installed app proves that its worker threads start where it is installed
 * (ES module workers inside `app.asar` are the part of a package no test can reach without the real runtime:
 * the fuses keep debuggers out). It reads a small spreadsheet in a throwaway data folder (the reading and writing
 * workers), checks it (the preview worker) and saves its batches (the export worker), prints one JSON line and
 * ends with 0 when every step worked. Nothing here imports `electron`; the shell calls it after `ready`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskFinished } from '../../app/contract.ts';
import type { Logger } from '../log.ts';
import type { AppPaths } from '../paths.ts';
import { createServices, type Services } from '../services/index.ts';

export const SELF_CHECK_FLAG = '--self-check';

export interface SelfCheckResult {
  ok: boolean;
  /** Each step in order, with what it found or why it failed. */
  steps: { step: 'read' | 'check' | 'export'; ok: boolean; detail: string }[];
}

const SAMPLE = ['Account ID,Account Name,User ID,Email'];
for (let i = 1; i <= 150; i++) SAMPLE.push(`A${i % 7},Account ${i % 7},U${i},user${i}@example.com`);

const STEP_TIMEOUT_MS = 60_000;

/** Runs the check in `paths.dataDir` (a fresh folder the caller removes). */
export async function runSelfCheck(paths: AppPaths, log: Logger): Promise<SelfCheckResult> {
  mkdirSync(paths.dataDir, { recursive: true });
  const steps: SelfCheckResult['steps'] = [];
  const exportPath = join(paths.dataDir, 'self-check.jsonl');
  const services = createServices({
    host: 'electron',
    paths,
    log,
    keychain: null,
    chooseSavePath: () => Promise.resolve(exportPath),
  });
  try {
    const csv = join(paths.dataDir, 'self-check.csv');
    writeFileSync(csv, SAMPLE.join('\n'));
    const load = await call<{ taskId: string; fileId: string }>(services, 'loadFile', {
      source: { kind: 'path', path: csv },
    });
    const read = await taskEnd(services, load.taskId);
    steps.push({ step: 'read', ok: read.outcome === 'done', detail: read.message ?? read.outcome });
    if (read.outcome !== 'done') return { ok: false, steps };

    const { mapping } = await call<{ mapping: unknown }>(services, 'getMapping', { fileId: load.fileId });
    await call(services, 'saveMapping', { fileId: load.fileId, mapping });
    const preview = await call<{ taskId: string }>(services, 'startPreview', { fileId: load.fileId });
    const checked = await taskEnd(services, preview.taskId);
    steps.push({ step: 'check', ok: checked.outcome === 'done', detail: checked.message ?? checked.outcome });
    if (checked.outcome !== 'done') return { ok: false, steps };

    const saved = await call<{ path: string | null; batches: number }>(services, 'exportBatches', {
      fileId: load.fileId,
    });
    const lines = readFileSync(exportPath, 'utf8').split('\n').filter(Boolean).length;
    const exported = saved.path === exportPath && saved.batches > 0 && lines === saved.batches;
    steps.push({ step: 'export', ok: exported, detail: `${saved.batches} batches, ${lines} lines` });
    return { ok: steps.every((step) => step.ok), steps };
  } catch (error) {
    const step = (['read', 'check', 'export'] as const)[steps.length] ?? 'export';
    steps.push({ step, ok: false, detail: error instanceof Error ? error.message : String(error) });
    return { ok: false, steps };
  } finally {
    await services.close();
    rmSync(paths.dataDir, { recursive: true, force: true });
  }
}

async function call<T>(services: Services, name: string, args: unknown): Promise<T> {
  const answer = await services.dispatch(name, args);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`);
  return answer.value as T;
}

/** The end of a read or a check, or a failure after a minute (a worker that never started says nothing). */
function taskEnd(services: Services, taskId: string): Promise<TaskFinished> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve({ taskId, fileId: '', outcome: 'failed', message: 'no answer from the worker within a minute' });
    }, STEP_TIMEOUT_MS);
    const stop = services.bus.on('taskFinished', (end) => {
      if (end.taskId !== taskId) return;
      clearTimeout(timer);
      stop();
      resolve(end);
    });
  });
}
