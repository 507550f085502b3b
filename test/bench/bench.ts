/**
 * `npm run bench`: figures, not a test. Generates deterministic spreadsheets, then for each measures, in a fresh
 * child process, (1) a bare streaming papaparse parse of the file (the baseline) and (2) the app loading it into
 * its database through the reading worker, as the Upload step does. Prints a table and writes
 * `bench-results.json`: {name, rows, seconds, mbPerSecond, peakRssMb, maxBlockMs, baselineSeconds, ratio}.
 * `maxBlockMs` is the longest event-loop stall of the process that serves the UI (main), while it loads.
 *
 *   node test/bench/bench.ts [--quick]     (--quick: the 100k-row file only)
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const COLUMNS = 20;
const WORDS = ['Acme', 'Zoë', 'Kraków', 'Ünited', 'São Paulo', '東京', 'Widgets', 'Labs', 'Renewal', 'Champion'];

interface Record {
  name: string;
  rows: number;
  seconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  maxBlockMs: number;
  baselineSeconds: number;
  ratio: number;
}

/** A deterministic pseudo-random sequence, so every run measures the same bytes. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function generateCsv(path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const random = generator(rows);
  const out = createWriteStream(path);
  const header = Array.from({ length: COLUMNS }, (_, i) => `Column ${i + 1}`).join(',') + '\n';
  out.write(header);
  let buffer = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < COLUMNS; c++) {
      const pick = random();
      const word = WORDS[Math.floor(random() * WORDS.length)] ?? '';
      if (c === 0) cells.push(String(100000 + r).padStart(8, '0'));
      else if (pick < 0.08) cells.push('');
      else if (pick < 0.16) cells.push(`"${word}, ${word} and co"`);
      else if (pick < 0.2) cells.push(`"${word}\nsecond line"`);
      else if (pick < 0.5) cells.push((random() * 100000).toFixed(2));
      else cells.push(`${word} ${Math.floor(random() * 1000)}`);
    }
    buffer += cells.join(',') + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** Child process: a bare streaming papaparse parse, the way papaparse's documentation streams a file. */
async function measureBaseline(path: string): Promise<{ seconds: number; rows: number }> {
  const start = performance.now();
  let rows = 0;
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {});
  parser.on('data', () => rows++);
  createReadStream(path, { encoding: 'utf8' }).pipe(parser);
  await once(parser, 'end');
  return { seconds: (performance.now() - start) / 1000, rows: rows - 1 };
}

/** Child process: the app's own load, through main's files service and its worker. */
async function measureLoad(path: string): Promise<{ seconds: number; rows: number; maxBlockMs: number }> {
  const { createServices } = await import('../../main/services/index.ts');
  const { createMemoryLogger } = await import('../../main/log.ts');
  const { pathsIn } = await import('../../main/paths.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-bench-data-'));
  const services = createServices({ host: 'electron', paths: pathsIn(dataDir), log: createMemoryLogger() });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  delay.enable();
  const answer = await services.dispatch('loadFile', { source: { kind: 'path', path } });
  if (!answer.ok) throw new Error(answer.error.message);
  const { taskId, fileId } = answer.value as { taskId: string; fileId: string };
  await new Promise<void>((resolve, reject) =>
    services.bus.on('taskFinished', (end) => {
      if (end.taskId !== taskId) return;
      if (end.outcome === 'done') resolve();
      else reject(new Error(end.message ?? end.outcome));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  const file = services.files.get(fileId);
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { seconds, rows: file.result?.rowCount ?? 0, maxBlockMs: delay.max / 1e6 };
}

function child(
  kind: 'baseline' | 'load',
  path: string,
): { seconds: number; rows: number; maxBlockMs?: number; peakRssMb: number } {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', kind, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${kind} measurement failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof child>;
}

async function main(): Promise<void> {
  const measureIndex = process.argv.indexOf('--measure');
  if (measureIndex !== -1) {
    const kind = process.argv[measureIndex + 1];
    const path = process.argv[measureIndex + 2] ?? '';
    const figures = kind === 'baseline' ? await measureBaseline(path) : await measureLoad(path);
    console.log(JSON.stringify({ ...figures, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const quick = process.argv.includes('--quick');
  const dir = join(tmpdir(), 'vitally-importer-bench');
  mkdirSync(dir, { recursive: true });
  const cases = [{ name: 'csv-100k', rows: 100_000 }, ...(quick ? [] : [{ name: 'csv-1m', rows: 1_000_000 }])];
  const records: Record[] = [];
  for (const { name, rows } of cases) {
    const path = join(dir, `${name}.csv`);
    process.stdout.write(`${name}: generating… `);
    await generateCsv(path, rows);
    const megabytes = statSync(path).size / 1024 / 1024;
    process.stdout.write(`${megabytes.toFixed(0)} MB; baseline… `);
    const baseline = child('baseline', path);
    process.stdout.write('load… ');
    const load = child('load', path);
    if (load.rows !== rows) throw new Error(`${name}: loaded ${load.rows} rows, expected ${rows}`);
    const record: Record = {
      name: `load-${name}`,
      rows,
      seconds: round(load.seconds),
      mbPerSecond: round(megabytes / load.seconds),
      peakRssMb: round(load.peakRssMb),
      maxBlockMs: round(load.maxBlockMs ?? 0),
      baselineSeconds: round(baseline.seconds),
      ratio: round(load.seconds / baseline.seconds),
    };
    records.push(record);
    console.log('done');
  }
  console.log('\nNo XLSX record yet: this version reads delimited text only.\n');
  console.table(records);
  writeFileSync('bench-results.json', JSON.stringify(records, null, 2) + '\n');
  console.log('Written to bench-results.json. Targets at 1M rows: ratio ≤ 2.0, peakRssMb < 400, maxBlockMs < 50.');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
