// Lint rules, including the layering of DESIGN.md §2 as import restrictions:
// renderer → common only; common → nothing runtime-specific; engine → no electron, no db, no core;
// core → no electron, no shells; no import cycles anywhere, type-only imports included
// (scripts/lint/no-import-cycle.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { workbenchPlugin } from './scripts/lint/no-import-cycle.mjs';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'http',
  'crypto',
  'url',
];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-main/**', 'src-renderer/**', 'bench/**', 'test/**'],
    plugins: { workbench: workbenchPlugin },
    rules: {
      'workbench/no-import-cycle': [
        'error',
        { folders: ['src-main', 'src-renderer', 'bench', 'test'] },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [
        '**/src-main/core/**',
        '**/src-main/engine/**',
        '**/src-main/db/**',
        '**/src-main/shells/**',
        'electron',
        ...nodeBuiltins,
        'better-sqlite3',
        '@tensorflow/*',
      ],
      'the renderer talks to the workbench only through @common (the contract) and lib/api',
    ),
  },
  {
    files: ['src-main/common/**'],
    rules: restrict(
      [
        '../core/*',
        '../engine/*',
        '../db/*',
        '../shells/*',
        '**/core/**',
        '**/engine/**',
        '**/db/**',
        '**/shells/**',
        'electron',
        ...nodeBuiltins,
        'better-sqlite3',
        '@tensorflow/*',
        'ws',
      ],
      'common is the pure contract: zod and plain TypeScript only',
    ),
  },
  {
    files: ['src-main/engine/**'],
    rules: restrict(
      ['electron', 'better-sqlite3', '**/db/**', '**/core/**', '**/shells/**', 'ws'],
      'the engine knows nothing about the database, the core or the shells',
    ),
  },
  {
    files: ['src-main/core/**', 'src-main/db/**'],
    rules: restrict(
      ['electron', '**/shells/**'],
      'the core knows nothing about Electron or the shells',
    ),
  },
  {
    files: ['src-main/db/**'],
    rules: restrict(
      ['electron', '**/shells/**', '**/engine/**', '@tensorflow/*'],
      'the db layer holds no tensor code',
    ),
  },
);
