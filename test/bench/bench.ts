/**
 * `npm run bench`: figures, not a test. Generates deterministic spreadsheets (CSV at 100k and 1M rows, XLSX at
 * 100k rows, 20 columns), then for each measures, in a fresh child process, (1) a bare streaming papaparse parse
 * of the CSV with the same rows (the baseline) and (2) the app loading the file into its database through the
 * reading workers, as the Upload step does. Then it measures the sender delivering 100,000 messages to the
 * emulator (50 ms per request), against the ideal for the concurrency used, and the app's send of 1,000,000 (the
 * send worker and its journal: `send-1m`). For each CSV it also measures the Preview's check of the loaded file
 * (mapping, validating and batching every row), and for the 1M-row CSV the whole wait from choosing the file to
 * the Preview (`pipeline-csv-1m`: the load, with the check made as rows are stored, under the mapping Map suggests
 * and the user keeps), against the same baseline. Prints a table and writes
 * `bench-results.json`: {name, rows, seconds, mbPerSecond, peakRssMb, maxBlockMs, baselineSeconds, ratio}.
 * `maxBlockMs` is the longest event-loop stall of the process that serves the UI (main), while it works.
 *
 *   node test/bench/bench.ts [--quick] [--only send-1m,load-csv-1m]
 *     --quick: without the 1M-row CSV and send-1m; --only: just those records (the file's others are kept)
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
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

/** The benchmark's rows, the same for every format: IDs, blanks, quoted commas, line breaks, non-ASCII text. */
function* generateRows(rows: number): Generator<(string | number)[]> {
  const random = generator(rows);
  for (let r = 0; r < rows; r++) {
    const cells: (string | number)[] = [];
    for (let c = 0; c < COLUMNS; c++) {
      const pick = random();
      const word = WORDS[Math.floor(random() * WORDS.length)] ?? '';
      if (c === 0) cells.push(String(100000 + r).padStart(8, '0'));
      else if (pick < 0.08) cells.push('');
      else if (pick < 0.16) cells.push(`${word}, ${word} and co`);
      else if (pick < 0.2) cells.push(`${word}\nsecond line`);
      else if (pick < 0.5) cells.push(Math.round(random() * 10_000_000) / 100);
      else cells.push(`${word} ${Math.floor(random() * 1000)}`);
    }
    yield cells;
  }
}

/** An ID column the Map step recognises, so the mapping it suggests sends an account per row, then 19 others. */
const HEADER = ['Account ID', ...Array.from({ length: COLUMNS - 1 }, (_, i) => `Column ${i + 2}`)];

async function generateCsv(path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(path);
  const quote = (cell: string | number) =>
    typeof cell === 'string' && /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : String(cell);
  let buffer = HEADER.join(',') + '\n';
  for (const cells of generateRows(rows)) {
    buffer += cells.map(quote).join(',') + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** The same rows as an Excel workbook, text in shared strings as Excel writes it. */
function generateXlsx(path: string, rows: number): void {
  if (existsSync(path)) return;
  const strings = new Map<string, number>();
  const index = (text: string) => {
    let i = strings.get(text);
    if (i === undefined) strings.set(text, (i = strings.size));
    return i;
  };
  const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const letters = HEADER.map((_, i) => String.fromCharCode(65 + (i % 26)));
  const sheet: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
  ];
  sheet.push(`<dimension ref="A1:T${rows + 1}"/><sheetData>`);
  const rowXml = (number: number, cells: (string | number)[]) =>
    `<row r="${number}">` +
    cells
      .map((cell, c) =>
        cell === ''
          ? ''
          : typeof cell === 'number'
            ? `<c r="${letters[c]}${number}"><v>${cell}</v></c>`
            : `<c r="${letters[c]}${number}" t="s"><v>${index(cell)}</v></c>`,
      )
      .join('') +
    '</row>';
  sheet.push(rowXml(1, HEADER));
  let number = 2;
  for (const cells of generateRows(rows)) sheet.push(rowXml(number++, cells));
  sheet.push('</sheetData></worksheet>');
  const shared =
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${strings.size}">` +
    [...strings.keys()].map((text) => `<si><t xml:space="preserve">${escape(text)}</t></si>`).join('') +
    '</sst>';
  const files = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet.join('')),
    'xl/sharedStrings.xml': strToU8(shared),
  };
  writeFileSync(path, zipSync(files, { level: 6 }));
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
  await taskEnd(services, taskId);
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  const file = services.files.get(fileId);
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { seconds, rows: file.result?.rowCount ?? 0, maxBlockMs: delay.max / 1e6 };
}

/** Child process: loads a file into a data folder that a later `preview` measurement opens; untimed. */
async function preload(path: string, dataDir: string): Promise<{ fileId: string }> {
  const { createServices } = await import('../../main/services/index.ts');
  const { createMemoryLogger } = await import('../../main/log.ts');
  const { pathsIn } = await import('../../main/paths.ts');
  const services = createServices({ host: 'electron', paths: pathsIn(dataDir), log: createMemoryLogger() });
  const answer = await services.dispatch('loadFile', { source: { kind: 'path', path } });
  if (!answer.ok) throw new Error(answer.error.message);
  const { taskId, fileId } = answer.value as { taskId: string; fileId: string };
  await taskEnd(services, taskId);
  await services.close();
  return { fileId };
}

/**
 * Child process: the Preview step's check of a loaded file — every row mapped (an account per row, the 19 other
 * columns as traits), validated and batched, in the preview worker — as the app runs it, from a fresh process
 * so its memory is the check's alone.
 */
async function measurePreview(dataDir: string): Promise<{ seconds: number; rows: number; maxBlockMs: number }> {
  const { createServices } = await import('../../main/services/index.ts');
  const { createMemoryLogger } = await import('../../main/log.ts');
  const { pathsIn } = await import('../../main/paths.ts');
  const services = createServices({ host: 'electron', paths: pathsIn(dataDir), log: createMemoryLogger() });
  const [file] = services.files.recent(1);
  if (!file) throw new Error('no loaded file to check');
  const mapping = benchMapping();
  const saved = await services.dispatch('saveMapping', { fileId: file.id, mapping });
  if (!saved.ok) throw new Error(saved.error.message);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  delay.enable();
  const answer = await services.dispatch('startPreview', { fileId: file.id });
  if (!answer.ok) throw new Error(answer.error.message);
  await taskEnd(services, (answer.value as { taskId: string }).taskId);
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  const preview = await services.dispatch('getPreview', { fileId: file.id });
  await services.close();
  const rows = preview.ok ? ((preview.value as { summary: { messages: number } | null }).summary?.messages ?? 0) : 0;
  return { seconds, rows, maxBlockMs: delay.max / 1e6 };
}

/**
 * Child process: what a user waits for between choosing a file and seeing the Preview — the load, then the check of
 * every row under the mapping Map suggests, which the user keeps — in one process, timed from the choice to the
 * check's end. The check is made while the file is read (`main/services/check-ahead.ts`), so most of it is done by
 * the time the read ends.
 */
async function measurePipeline(path: string): Promise<{ seconds: number; rows: number; maxBlockMs: number }> {
  const { createServices } = await import('../../main/services/index.ts');
  const { createMemoryLogger } = await import('../../main/log.ts');
  const { pathsIn } = await import('../../main/paths.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-bench-data-'));
  // As the app does when it starts: the user chooses a file some time after.
  const services = createServices({
    host: 'electron',
    paths: pathsIn(dataDir),
    log: createMemoryLogger(),
    warmUp: true,
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  delay.enable();
  const loaded = await services.dispatch('loadFile', { source: { kind: 'path', path } });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const { taskId, fileId } = loaded.value as { taskId: string; fileId: string };
  await taskEnd(services, taskId);
  // The user keeps the mapping the Map step suggests (an account per row, its 19 other columns as traits). Each
  // request is a message of its own from the window, as in the app: main's event loop turns between them (awaited
  // back to back, three requests made one stall that no window can cause).
  const nextMessage = () => new Promise((resolve) => setImmediate(resolve));
  await nextMessage();
  const suggested = await services.dispatch('getMapping', { fileId });
  if (!suggested.ok) throw new Error(suggested.error.message);
  const mapping = (suggested.value as { mapping: unknown }).mapping;
  await nextMessage();
  const saved = await services.dispatch('saveMapping', { fileId, mapping });
  if (!saved.ok) throw new Error(saved.error.message);
  await nextMessage();
  const checked = await services.dispatch('startPreview', { fileId });
  if (!checked.ok) throw new Error(checked.error.message);
  await taskEnd(services, (checked.value as { taskId: string }).taskId);
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  const preview = await services.dispatch('getPreview', { fileId });
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
  const rows = preview.ok ? ((preview.value as { summary: { messages: number } | null }).summary?.messages ?? 0) : 0;
  return { seconds, rows, maxBlockMs: delay.max / 1e6 };
}

/** The bench's mapping: an account per row, its ID from the first column, the 19 others as traits. */
function benchMapping() {
  return {
    version: 1,
    messages: [
      {
        type: 'account',
        fields: { accountId: { column: HEADER[0] } },
        traits: HEADER.slice(1).map((column) => ({
          column,
          key: column.toLowerCase().replace(' ', '_'),
          type: 'text',
        })),
      },
    ],
  };
}

/** Resolves when a background task ends well; rejects with its message otherwise. */
function taskEnd(
  services: {
    bus: {
      on: (
        name: 'taskFinished',
        listener: (end: { taskId: string; outcome: string; message: string | null }) => void,
      ) => () => void;
    };
  },
  taskId: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stop = services.bus.on('taskFinished', (end) => {
      if (end.taskId !== taskId) return;
      stop();
      if (end.outcome === 'done') resolve();
      else reject(new Error(end.message ?? end.outcome));
    });
  });
}

const SEND_MESSAGES = 100_000;
const SEND_LATENCY_MS = 50;

/**
 * Child process: the sender delivering 100,000 messages (1,000 batches) to the emulator, which runs in a process
 * of its own and answers every request after 50 ms. The ideal for the concurrency used is the time the same
 * requests take back to back with no gap: Σ latency ÷ the average number in flight.
 */
async function measureSend(): Promise<{
  seconds: number;
  rows: number;
  maxBlockMs: number;
  idealSeconds: number;
  megabytes: number;
}> {
  const { Sender } = await import('../../app/send/index.ts');
  const emulator = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../emulator/cli.ts', import.meta.url)),
      '--port',
      '0',
      '--latency',
      String(SEND_LATENCY_MS),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  process.once('exit', () => emulator.kill('SIGKILL'));
  const baseUrl = await new Promise<string>((resolve) => {
    let text = '';
    emulator.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Base URL: (\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
  });
  const batches = Array.from({ length: SEND_MESSAGES / 100 }, (_, b) => {
    const messages = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        type: 'track',
        userId: `u${b}`,
        event: 'Imported',
        properties: { i },
        messageId: `m-${b}-${i}`,
        timestamp: '2026-11-23T10:00:00.000Z',
      }),
    );
    return { id: String(b), messages, types: messages.map(() => 'track') };
  });
  const megabytes = batches.reduce((sum, batch) => sum + batch.messages.join(',').length + 2, 0) / 1024 / 1024;
  let inFlight = 0;
  let weighted = 0;
  let last = performance.now();
  const tick = (change: number) => {
    const now = performance.now();
    weighted += inFlight * (now - last);
    last = now;
    inFlight += change;
  };
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const sender = new Sender({
    baseUrl,
    token: 'emulator-token',
    hooks: { onSending: () => tick(1), onOutcome: () => tick(-1) },
  });
  const start = performance.now();
  delay.enable();
  await sender.run(batches);
  delay.disable();
  const seconds = (performance.now() - start) / 1000;
  tick(0);
  emulator.kill();
  const averageInFlight = weighted / (performance.now() - start);
  const idealSeconds = (batches.length * SEND_LATENCY_MS) / 1000 / averageInFlight;
  return { seconds, rows: SEND_MESSAGES, maxBlockMs: delay.max / 1e6, idealSeconds, megabytes };
}

const SEND_1M_MESSAGES = 1_000_000;

/** Starts the emulator in a process of its own, answering every request after `latencyMs`. */
async function startEmulatorProcess(latencyMs: number): Promise<{ baseUrl: string; stop: () => void }> {
  const emulator = spawn(
    process.execPath,
    [fileURLToPath(new URL('../emulator/cli.ts', import.meta.url)), '--port', '0', '--latency', String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Gone with this process however it ends: it holds the output the bench waits on.
  process.once('exit', () => emulator.kill('SIGKILL'));
  const baseUrl = await new Promise<string>((resolve) => {
    let text = '';
    emulator.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Base URL: (\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { baseUrl, stop: () => emulator.kill('SIGKILL') };
}

/** Child process: journals a run of 1,000,000 track messages in 10,000 batches, as the send worker would. */
async function prepareSend1m(databaseFile: string, baseUrl: string): Promise<{ runId: string; megabytes: number }> {
  const { openDatabase } = await import('../../app/journal/database.ts');
  const { Journal } = await import('../../app/journal/journal.ts');
  const db = openDatabase(databaseFile);
  const journal = new Journal(db);
  let bytes = 0;
  function* planned() {
    for (let b = 0; b < SEND_1M_MESSAGES / 100; b++) {
      const messages = Array.from({ length: 100 }, (_, i) =>
        JSON.stringify({
          type: 'track',
          userId: `u${b}`,
          event: 'Imported',
          properties: { i },
          messageId: `m-${b}-${i}`,
          timestamp: '2026-11-23T10:00:00.000Z',
        }),
      );
      bytes += messages.join(',').length + 2;
      const sourceRows = messages.map((_, i) => b * 100 + i + 2);
      yield { id: String(b), messages, types: messages.map(() => 'track'), sourceRows };
    }
  }
  const runId = journal.createRun(
    { fileName: 'bench.csv', workspaceName: 'Bench', baseUrl, rows: SEND_1M_MESSAGES },
    planned(),
  );
  db.close();
  return { runId, megabytes: bytes / 1024 / 1024 };
}

/**
 * Child process: the app's send of 1,000,000 messages (10,000 batches) as the Send step runs it — the send worker
 * claiming a journalled run, recording every batch before it goes and its outcome after, posting progress with
 * the run's counts — to the emulator (its own process, 50 ms per request), with this process playing main: it
 * relays the worker's messages and its event loop's stalls are `maxBlockMs`. The run is written to the journal
 * first, untimed (the check and batching are measured by the `check-` records). The ideal is the time the same
 * requests take with the pipe always full at the sender's concurrency: batches × 50 ms ÷ its concurrency
 * (time-weighted, from its status reports).
 */
async function measureSend1m(): Promise<{
  seconds: number;
  rows: number;
  maxBlockMs: number;
  idealSeconds: number;
  megabytes: number;
  concurrency: number;
  requestMs: number;
}> {
  const emulator = await startEmulatorProcess(SEND_LATENCY_MS);
  const dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-bench-send-'));
  const databaseFile = join(dataDir, 'app.sqlite');
  // The run is journalled by a process of its own, so that this one's memory and pauses are the send's alone.
  const prepared = child('send-1m-prepare', databaseFile, emulator.baseUrl) as unknown as {
    runId: string;
    megabytes: number;
  };
  const { runId } = prepared;
  const batchCount = SEND_1M_MESSAGES / 100;

  const delay = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  delay.enable();
  const { startThread } = await import('../../app/threads/threads.ts');
  const worker = startThread('send-worker', {
    databaseFile,
    baseUrl: emulator.baseUrl,
    owner: `${process.pid}:bench`,
    fetchPort: null,
    runId,
    create: null,
  });
  let concurrency = 0;
  let lastCounts: unknown = null;
  // Every 20 ms: how many requests are on their way (the batches the journal has as sending) and how many the
  // sender allows. Their ratio is how full the sender keeps the pipe.
  const { DatabaseSync } = await import('node:sqlite');
  const reader = new DatabaseSync(databaseFile, { readOnly: true });
  const sending = reader.prepare("SELECT batches FROM run_state_counts WHERE run_id = ? AND state = 'sending'");
  let samples = 0;
  let inFlightSum = 0;
  let concurrencySum = 0;
  const sampler = setInterval(() => {
    if (concurrency === 0) return;
    samples++;
    inFlightSum += (sending.get(runId) as { batches: number } | undefined)?.batches ?? 0;
    concurrencySum += concurrency;
  }, 20);
  const done = new Promise<{ state: string; accepted: number }>((resolve, reject) => {
    worker.on(
      'message',
      (message: {
        type: string;
        state?: string;
        status?: { kind: string; concurrency?: number };
        counts?: { messages: { accepted: number } };
        message?: string;
      }) => {
        // What main does with each message: keep the latest counts to relay.
        lastCounts = message.counts ?? lastCounts;
        if (message.type === 'status' && message.status?.kind === 'sending') {
          concurrency = message.status.concurrency ?? concurrency;
        }
        if (message.type === 'done')
          resolve({ state: message.state ?? '', accepted: message.counts?.messages.accepted ?? 0 });
        if (message.type === 'failed') reject(new Error(message.message));
      },
    );
    worker.once('error', reject);
  });
  worker.postMessage({ type: 'start', token: 'emulator-token' });
  const ended = await done;
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  clearInterval(sampler);
  reader.close();
  await worker.terminate();
  emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (ended.state !== 'finished' || ended.accepted !== SEND_1M_MESSAGES || lastCounts === null) {
    throw new Error(`send-1m ended ${ended.state} with ${ended.accepted} messages accepted`);
  }
  // Little's law: requests on their way = requests answered per second × the time each took. The ideal is the same
  // requests, each taking the time the emulator took, with the pipe always full at the sender's concurrency:
  // achieved ÷ ideal rate = requests on their way ÷ concurrency.
  const inFlight = inFlightSum / Math.max(1, samples);
  const allowed = concurrencySum / Math.max(1, samples);
  const requestMs = (inFlight * seconds * 1000) / batchCount;
  const idealSeconds = (batchCount * requestMs) / 1000 / allowed;
  return {
    seconds,
    rows: SEND_1M_MESSAGES,
    maxBlockMs: delay.max / 1e6,
    idealSeconds,
    megabytes: prepared.megabytes,
    concurrency: allowed,
    requestMs,
  };
}

function child(
  kind: 'baseline' | 'load' | 'pipeline' | 'send' | 'send-1m' | 'send-1m-prepare' | 'preload' | 'preview',
  path: string,
  dataDir = '',
): { seconds: number; rows: number; maxBlockMs?: number; peakRssMb: number } {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', kind, path, dataDir], {
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
    const dataDir = process.argv[measureIndex + 3] ?? '';
    const figures =
      kind === 'baseline'
        ? await measureBaseline(path)
        : kind === 'send'
          ? await measureSend()
          : kind === 'pipeline'
            ? await measurePipeline(path)
            : kind === 'send-1m'
              ? await measureSend1m()
              : kind === 'send-1m-prepare'
                ? await prepareSend1m(path, dataDir)
                : kind === 'preload'
                  ? await preload(path, dataDir)
                  : kind === 'preview'
                    ? await measurePreview(dataDir)
                    : await measureLoad(path);
    console.log(JSON.stringify({ ...figures, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const quick = process.argv.includes('--quick');
  // `--only send-1m,load-csv-1m`: just those records; the others in bench-results.json are kept as they were.
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex === -1 ? null : new Set((process.argv[onlyIndex + 1] ?? '').split(','));
  const wants = (name: string) => only === null || only.has(name);
  const dir = join(tmpdir(), 'vitally-importer-bench');
  mkdirSync(dir, { recursive: true });
  const all: { name: string; rows: number; format: 'csv' | 'xlsx' }[] = [
    { name: 'csv-100k', rows: 100_000, format: 'csv' },
    ...(quick ? [] : [{ name: 'csv-1m', rows: 1_000_000, format: 'csv' as const }]),
    { name: 'xlsx-100k', rows: 100_000, format: 'xlsx' },
  ];
  const cases = all.filter(({ name }) => wants(`load-${name}`) || wants(`check-${name}`) || wants(`pipeline-${name}`));
  const records: Record[] = [];
  for (const { name, rows, format } of cases) {
    // The baseline is always a bare parse of the CSV with the same rows.
    const csv = join(dir, `csv-${rows}-account-id.csv`);
    const path = format === 'csv' ? csv : join(dir, `${name}.xlsx`);
    process.stdout.write(`${name}: generating… `);
    await generateCsv(csv, rows);
    if (format === 'xlsx') generateXlsx(path, rows);
    const megabytes = statSync(path).size / 1024 / 1024;
    process.stdout.write(`${megabytes.toFixed(0)} MB; baseline… `);
    const baseline = child('baseline', csv);
    if (wants(`load-${name}`)) {
      process.stdout.write('load… ');
      const load = child('load', path);
      if (load.rows !== rows) throw new Error(`${name}: loaded ${load.rows} rows, expected ${rows}`);
      records.push(record(`load-${name}`, load, megabytes, baseline.seconds));
    }
    if (format === 'csv' && wants(`check-${name}`)) {
      // Mapping, validating and batching every row, against the same bare parse.
      process.stdout.write('check… ');
      const dataDir = mkdtempSync(join(tmpdir(), 'vitally-importer-bench-data-'));
      child('preload', path, dataDir);
      const check = child('preview', '', dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      if (check.rows !== rows) throw new Error(`${name}: the check made ${check.rows} messages, expected ${rows}`);
      records.push(record(`check-${name}`, check, megabytes, baseline.seconds));
    }
    if (name === 'csv-1m' && wants(`pipeline-${name}`)) {
      // Load and check as a user waits for them, from choosing the file to seeing the Preview.
      process.stdout.write('pipeline… ');
      const pipeline = child('pipeline', path);
      if (pipeline.rows !== rows) throw new Error(`${name}: the pipeline made ${pipeline.rows} messages`);
      records.push(record(`pipeline-${name}`, pipeline, megabytes, baseline.seconds));
    }
    console.log('done');
  }
  // For sending, the baseline is the ideal for the concurrency used, and the ratio is achieved ÷ ideal rate.
  type SendFigures = ReturnType<typeof child> & { idealSeconds: number; megabytes: number };
  if (wants('send-100k')) {
    process.stdout.write('send-100k: the sender alone, to the emulator (50 ms per request)… ');
    const send = child('send', '') as SendFigures;
    const sent = record('send-100k', send, send.megabytes, send.idealSeconds);
    records.push({ ...sent, ratio: round(send.idealSeconds / send.seconds) });
    console.log('done');
  }
  if (wants('send-1m') && !quick) {
    process.stdout.write('send-1m: the send worker and its journal, to the emulator (50 ms per request)… ');
    const send = child('send-1m', '') as SendFigures & { concurrency: number; requestMs: number };
    const sent = record('send-1m', send, send.megabytes, send.idealSeconds);
    records.push({ ...sent, ratio: round(send.idealSeconds / send.seconds) });
    const at50 = ((SEND_1M_MESSAGES / 100) * (SEND_LATENCY_MS / 1000)) / send.concurrency / send.seconds;
    console.log(
      `done (concurrency ${round(send.concurrency)}, each request ${round(send.requestMs)} ms against the ` +
        `emulator's ${SEND_LATENCY_MS} ms; ${round(at50)} of the rate were each answered in exactly ${SEND_LATENCY_MS} ms)`,
    );
  }
  console.table(records);
  const kept =
    only && existsSync('bench-results.json')
      ? (JSON.parse(readFileSync('bench-results.json', 'utf8')) as Record[]).filter(
          (r) => !records.some((n) => n.name === r.name),
        )
      : [];
  writeFileSync('bench-results.json', JSON.stringify([...kept, ...records], null, 2) + '\n');
  console.log(
    'Written to bench-results.json. Targets: load-csv-1m ratio ≤ 2.0 and peakRssMb < 400; check-csv-1m (mapping, ' +
      'validating and batching) ratio ≤ 3.0 and peakRssMb < 400; send-100k ratio ≥ 0.9 and send-1m ratio ≥ 0.95 ' +
      '(achieved ÷ ideal rate for the concurrency used) with peakRssMb < 400; maxBlockMs < 50 everywhere.',
  );
}

/** A measurement as a record: throughput over `megabytes`, and time against the baseline's (ratio = ours ÷ it). */
function record(name: string, measured: ReturnType<typeof child>, megabytes: number, baselineSeconds: number): Record {
  return {
    name,
    rows: measured.rows,
    seconds: round(measured.seconds),
    mbPerSecond: round(megabytes / measured.seconds),
    peakRssMb: round(measured.peakRssMb),
    maxBlockMs: round(measured.maxBlockMs ?? 0),
    baselineSeconds: round(baselineSeconds),
    ratio: round(measured.seconds / baselineSeconds),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
