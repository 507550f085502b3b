import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import { THREADS } from './app/threads/threads.ts';

/**
 * The main-process side, as ES modules for Node and Electron: the Electron shell, the web host's command line and
 * the `npm start` launcher, and the worker threads. `electron`, Node's built-ins and npm dependencies stay external.
 */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/main',
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        electron: 'main/electron/index.ts',
        web: 'main/web/index.ts',
        launcher: 'main/launcher.ts',
        // The worker threads, by name (app/threads/threads.ts): each is `<name>.js` beside the code that starts it.
        ...THREADS,
      },
      external: ['electron', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      // Chunks sit beside the entries, so paths relative to `import.meta.url` mean the same in every file.
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
