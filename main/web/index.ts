/** `npm run web` (`node out/main/web.js [--port <n>] [--no-open]`): the app in the browser, served on 127.0.0.1. */
import { runWebHost } from './cli.ts';

runWebHost(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
