/**
 * Loaded with `node --import` before the built main process: resolves `electron` to the recording stand-in (the
 * real package would try to download its binary), and each module named in `STANDIN_BROKEN_MODULES` (comma
 * separated) to one that fails to load as a missing native binding does. The hooks apply to `import` and
 * `require` alike, in the main thread and in every worker thread (workers inherit `--import`).
 */
import { registerHooks } from 'node:module';

const standIn = new URL('./electron.ts', import.meta.url).href;
const broken = new URL('./broken-module.ts', import.meta.url).href;
const brokenModules = new Set((process.env.STANDIN_BROKEN_MODULES ?? '').split(',').filter(Boolean));

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, shortCircuit: true };
    if (brokenModules.has(specifier)) return { url: broken, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
