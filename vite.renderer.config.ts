import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The React renderer, served by both hosts from `out/renderer`. */
export default defineConfig({
  root: 'renderer',
  base: './',
  // Static files the page refers to by name (the app icon), shared with packaging in assets/.
  publicDir: '../assets/web',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
