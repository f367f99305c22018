// Lint rules, including the layering of DESIGN.md §2 as import restrictions:
// renderer → common only; common → nothing runtime-specific; engine → no electron, no db, no core,
// and its folders in layers (engineLayers); core → no electron, no shells, and from the engine
// only types and the pure modules of pureEngineModules; no import cycles anywhere, type-only
// imports included (scripts/lint/no-import-cycle.mjs).
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

// The engine modules the core may import values from: each loads no tensor code (nor anything
// that does), so the main process's module graph stays free of TensorFlow.js; everything else in
// the engine the core imports as types only. test/unit/architecture/module-graph.test.ts checks
// the whole chain (a module here that came to import tfjs, even through others, fails it).
const pureEngineModules = [
  // Shard planning and merging of attack and evaluation results: arithmetic on typed arrays.
  'jobs/job-shards',
  // Seeded generators and permutations over plain numbers (dataset splits, MNIST's subset).
  'random/seeded-random',
  // Draws the synthetic datasets into typed arrays, pixel by pixel.
  'data/synthetic-features',
  // Finds a tfjs-layers model's weight files on disk from its model.json (fs and JSON only).
  'models/layers-model/weight-files',
  // zod schemas of what a project stores about imported models.
  'models/layers-model/layers-model-description',
  'models/onnx/onnx-model-description',
  // The ONNX file check before an import: protobufjs decoding, facts read off the decoded
  // ModelProto, the op catalog (data), and OnnxImportError (values.ts imports tfjs for types only).
  'models/onnx/onnx-proto',
  'models/onnx/onnx-file-facts',
  'models/onnx/onnx-op-catalog',
  'models/onnx/values',
];

// The engine's folders (and root modules) in layers, top first: a file may import from its own
// layer and those below, never from above, so that e.g. an experiment may run attacks and train
// models but not call into the jobs layer that runs experiments.
const engineLayers = [
  ['worker'],
  ['jobs', 'protocol'],
  ['experiments'],
  ['features'],
  ['training', 'evaluation'],
  ['attacks'],
  ['models', 'data'],
  [
    'progress',
    'math',
    'gradients',
    'kernels',
    'backend',
    'random',
    'engine-types',
    'engine-version',
  ],
];
// What any layer may import from above it, as types only.
const typeImportsAcrossLayers = [
  // The job specs and results, which the experiments and the features views build.
  'protocol',
  // What ModelSpec (engine-types.ts) carries for imported models: zod schemas, importing nothing
  // from the engine.
  'models/layers-model/layers-model-description',
  'models/onnx/onnx-model-description',
];
// Names hold only letters, '-' and '/', which stand for themselves in a regular expression.
const alternatives = (names) => `(${names.join('|')})`;

/** The no-restricted-imports rule (typescript-eslint's, for allowTypeImports) of one layer. */
function engineLayerRule(index) {
  const above = engineLayers.slice(0, index).flat();
  const below = engineLayers.slice(index + 1).flat();
  const typesOnly = typeImportsAcrossLayers.filter((name) => above.includes(name.split('/')[0]));
  const message =
    `the engine's layers: ${engineLayers[index].join(', ')} may import from ` +
    `${below.join(', ') || 'nothing below'}, not from ${above.join(', ')}`;
  const start = '^(\\.\\.?/)+';
  const exceptTypes = typesOnly.length > 0 ? `(?!${alternatives(typesOnly)}$)` : '';
  const patterns = [{ regex: `${start}${exceptTypes}${alternatives(above)}(/|$)`, message }];
  if (typesOnly.length > 0) {
    patterns.push({
      regex: `${start}${alternatives(typesOnly)}$`,
      allowTypeImports: true,
      message,
    });
  }
  return {
    files: engineLayers[index].map((name) => `src-main/engine/${name}{/**,.ts}`),
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

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
      // `import { type A } from` stays `import {} from` under verbatimModuleSyntax and loads the
      // module: a type-only import must say `import type`.
      '@typescript-eslint/no-import-type-side-effects': 'error',
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
  ...engineLayers.slice(1).map((_, i) => engineLayerRule(i + 1)),
  {
    files: ['src-main/core/**', 'src-main/db/**'],
    rules: restrict(
      ['electron', '**/shells/**'],
      'the core knows nothing about Electron or the shells',
    ),
  },
  {
    files: ['src-main/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+engine/(?!${alternatives(pureEngineModules)}$)`,
              allowTypeImports: true,
              message:
                'the core imports only types from the engine, besides pureEngineModules ' +
                '(eslint.config.mjs): tensor code stays in the worker threads',
            },
            { group: ['@tensorflow/*'], message: 'the core holds no tensor code' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/db/**'],
    rules: restrict(
      ['electron', '**/shells/**', '**/engine/**', '@tensorflow/*'],
      'the db layer holds no tensor code',
    ),
  },
);
