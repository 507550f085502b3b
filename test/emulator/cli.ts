/**
 * `npm run emulator`: a local stand-in for Vitally's Analytics API, for a dry run of an import.
 *
 *   npm run emulator -- [--port 8787] [--token emulator-token] [--latency 50] [--rate-limit 10/1000]
 *                       [--error-rate 0.05] [--block user,track]
 *
 * In the app, add a workspace with the printed base URL (Advanced) and token. The state is at
 * GET <host>/__emulator/state.
 */
import { startEmulator, type EmulatorConfig } from './server.ts';
import { isMessageType } from './validate.ts';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const config: Partial<EmulatorConfig> & { port?: number } = { port: Number(option('port') ?? 8787) };
if (option('token')) config.token = option('token');
if (option('latency')) config.latencyMs = Number(option('latency'));
if (option('error-rate')) config.errorRate = Number(option('error-rate'));
const rate = option('rate-limit');
if (rate) {
  const [requests, windowMs] = rate.split('/').map(Number);
  config.rateLimit = {
    requests: requests ?? 10,
    windowMs: windowMs ?? 1000,
    retryAfter: 'seconds',
    rateLimitHeaders: true,
  };
}
const blocked = option('block');
if (blocked) config.blockedTypes = blocked.split(',').filter(isMessageType);

const emulator = await startEmulator(config);
console.log(`Vitally emulator listening.\n\n  Base URL: ${emulator.baseUrl}\n  Token:    ${emulator.config.token}\n`);
console.log(`State: http://127.0.0.1:${emulator.port}/__emulator/state\nPress Ctrl+C to stop.`);
process.once('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
