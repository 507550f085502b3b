import { defineConfig } from 'vite';

/**
 * The preload, as one CommonJS file: a sandboxed preload cannot load ES modules or other files, only `electron`.
 * Everything else it uses (the contract and zod) is bundled in.
 */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { preload: 'main/preload/index.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
  ssr: { noExternal: true },
});
