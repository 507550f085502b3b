// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The engine's folders in the order of the data path: each may import only those before it. */
const ENGINE_LAYERS = ['threads', 'batch', 'journal', 'read', 'map', 'messages', 'preview', 'send', 'export'];

/** What no engine file may import: it is plain TypeScript, run by main, its workers and the tests. */
const ENGINE_PURITY = [
  { group: ['electron', 'react', 'react-dom', 'zustand'], message: 'app/ is the engine: plain TypeScript.' },
  { group: ['**/main/**', '**/renderer/**'], message: 'app/ must not depend on main/ or renderer/.' },
];

/** Which process each folder runs in, and which way the engine's imports flow, are enforced here: see ARCHITECTURE.md. */
export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  // The engine is plain TypeScript, and its imports flow one way, down the data path (ARCHITECTURE.md):
  // read → map → messages → preview → send → export, with threads (starting worker threads), batch (the API's
  // batch rule) and journal (the database) beneath them all. A folder may import the folders listed before it, never one after it.
  ...ENGINE_LAYERS.map((folder, layer) => ({
    files: [`app/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ENGINE_PURITY,
            ...ENGINE_LAYERS.filter((_, other) => other > layer).map((above) => ({
              group: [`../${above}/*`, `**/app/${above}/*`],
              message: `app/${folder}/ comes before app/${above}/ on the data path: it must not import it.`,
            })),
          ],
        },
      ],
    },
  })),
  {
    // Files at app/'s top level (the contract) sit above the engine and may use any of it.
    files: ['app/*.ts', 'app/contract/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ENGINE_PURITY }] },
  },
  {
    // Main's services run under plain Node too (the web host, tests): only main/electron and the preload may
    // import Electron, and only the IPC wrapper and the preload may touch ipcMain / ipcRenderer.
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron and main/preload may import electron.' }] },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    ignores: ['main/electron/ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain'], message: 'Register IPC through main/electron/ipc.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron'], message: 'The renderer runs in a sandboxed page: no Node, no Electron.' },
            { group: ['**/main/**'], message: 'The renderer reaches main only through the contract (api/client).' },
            {
              group: ['**/app/*', '!**/app/contract.ts'],
              message: 'The renderer may use the contract from app/, nothing else.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
