// Lint rules, chiefly the import boundaries of docs/architecture.md:
//   core ← devices, sync ← electron, services ← renderer
// `core/`, `sync/protocol/` and every device codec are pure; `renderer/` never reaches Node, Electron
// or the device layer except through the WorkstationApi contract in core/contract; `services/` (the
// client services the screens call) is browser code without React, and nothing below imports it.
// tests/boundaries/boundaries.test.ts plants wrong imports and proves each rule fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Packages that tie code to one environment. */
const environmentPackages = [
  'electron',
  'serialport',
  '@serialport/*',
  'fastify',
  '@fastify/*',
  'pg',
  '@electric-sql/*',
  'ws',
  'react',
  'react-dom',
  'react-dom/*',
  'react-i18next',
  'rxdb',
  'rxdb/*',
  'dexie',
  'playwright-core',
];

const restrict = (message, extraPatterns = [], paths = nodeBuiltins) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [{ group: extraPatterns, message }],
    },
  ],
});

const pureMessage =
  'core/, sync/protocol/ and device codecs are pure: no Node, DOM, Electron, database or UI imports (docs/architecture.md).';
const rendererMessage =
  'renderer/ is DOM only: reach devices through WorkstationApi (core/contract), never Node, Electron or devices/.';
const clientMessage = 'sync/client runs in the browser: no Node built-ins, Electron, serial or hub imports.';
const servicesMessage =
  'services/ is the browser layer below the screens: no Node, Electron, devices, hub, React or renderer imports (docs/architecture.md).';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', 'tests/boundaries/fixtures/**', '.demo-data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts', 'sync/protocol/**/*.ts', 'devices/*/codec.ts', 'devices/*/codec/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: restrict(pureMessage, [
      ...environmentPackages,
      '**/devices/**',
      '**/sync/client/**',
      '**/sync/hub/**',
      '**/services/**',
      '**/renderer/**',
      '**/electron/**',
    ]),
  },
  {
    // From inside sync/protocol the siblings are one level up.
    files: ['sync/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(pureMessage, [...environmentPackages, '../hub/**', '../client/**', '**/devices/**', '**/services/**', '**/renderer/**', '**/electron/**']),
  },
  {
    // A device codec may import its own family's pure helpers, but the rule above already bars
    // drivers: a codec that imports ./driver would import serial transport code.
    files: ['devices/*/codec.ts'],
    rules: restrict(pureMessage, [...environmentPackages, './driver*', './transport*', '**/transport/**']),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(rendererMessage, [
      'electron',
      'serialport',
      '@serialport/*',
      'fastify',
      '@fastify/*',
      'pg',
      '@electric-sql/*',
      'ws',
      '**/devices/**',
      '**/sync/hub/**',
      '**/electron/**',
    ]),
  },
  {
    files: ['sync/client/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(clientMessage, [
      'electron',
      'serialport',
      '@serialport/*',
      'fastify',
      '@fastify/*',
      'pg',
      '@electric-sql/*',
      '../hub/**',
      '**/sync/hub/**',
      '**/devices/**',
      '**/services/**',
      '**/renderer/**',
      '**/electron/**',
    ]),
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    // The local database (RxDB on Dexie) is the services' to use; every other environment package is not.
    rules: restrict(servicesMessage, [
      ...environmentPackages.filter((name) => !['rxdb', 'rxdb/*', 'dexie'].includes(name)),
      '**/devices/**',
      '**/sync/hub/**',
      '**/renderer/**',
      '**/electron/**',
    ]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      'The sandboxed preload only has contextBridge and ipcRenderer: no Node built-ins or app modules.',
      ['serialport', '@serialport/*', '**/devices/**', '**/sync/**', '**/renderer/**'],
    ),
  },
);
