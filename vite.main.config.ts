import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

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
        // Worker threads: main/services/files.ts starts the reader, which starts the writer.
        'read-worker': 'app/read/worker.ts',
        'write-worker': 'app/read/write-worker.ts',
        'preview-worker': 'app/preview/preview-worker.ts',
        'check-worker': 'app/preview/check-worker.ts',
        'export-worker': 'app/export/export-worker.ts',
        'send-worker': 'app/send/send-worker.ts',
      },
      external: ['electron', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      // Chunks sit beside the entries, so paths relative to `import.meta.url` mean the same in every file.
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
