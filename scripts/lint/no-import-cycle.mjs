// ESLint rule workbench/no-import-cycle: no file may import a file that imports it back,
// directly or through others. Type-only imports count: a cycle of `import type` ties its files
// together as much as any other (issue 14: engine/protocol.ts once joined 21 files this way), and
// eslint-plugin-import-x's no-cycle, which skips them, reported nothing here.
//
// The rule reads the module graph of the configured folders from disk (import-graph.mjs) and
// takes the linted file's own imports from its AST, so an editor sees the file as it is being
// typed. The graph is kept for the whole lint run and brought up to date, by modification time,
// at most once a second (an editor's ESLint server lives long).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  importPath,
  listSourceFiles,
  readImports,
  repositoryPath,
  resolveSpecifier,
} from './import-graph.mjs';

const defaultFolders = ['src-main', 'src-renderer', 'bench', 'test'];
const recheckAfterMs = 1000;

/** root + folders → { graph, importers, modified, checkedAt } */
const graphs = new Map();

function currentGraph(root, folders) {
  const key = `${root}\n${folders.join('\n')}`;
  let state = graphs.get(key);
  if (state !== undefined && Date.now() - state.checkedAt < recheckAfterMs) return state;
  state ??= { graph: new Map(), importers: new Map(), modified: new Map(), checkedAt: 0 };
  const present = new Set();
  let changed = false;
  for (const folder of folders) {
    for (const path of listSourceFiles(join(root, folder))) {
      const file = repositoryPath(root, path);
      present.add(file);
      const modified = statSync(path).mtimeMs;
      if (state.modified.get(file) === modified) continue;
      state.modified.set(file, modified);
      state.graph.set(file, readImports(root, file, readFileSync(path, 'utf8')));
      changed = true;
    }
  }
  for (const file of state.graph.keys()) {
    if (present.has(file)) continue;
    state.graph.delete(file);
    state.modified.delete(file);
    changed = true;
  }
  if (changed) {
    state.importers = new Map();
    for (const [file, edges] of state.graph) {
      for (const { target } of edges) {
        if (target === null) continue;
        if (!state.importers.has(target)) state.importers.set(target, new Set());
        state.importers.get(target).add(file);
      }
    }
  }
  state.checkedAt = Date.now();
  graphs.set(key, state);
  return state;
}

/** Every file that reaches `file` through other files' imports. */
function filesReaching(importers, file) {
  const reaching = new Set();
  const queue = [file];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.shift()) ?? []) {
      if (importer === file || reaching.has(importer)) continue;
      reaching.add(importer);
      queue.push(importer);
    }
  }
  return reaching;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Forbid import cycles between project files, type-only imports included',
    },
    schema: [
      {
        type: 'object',
        properties: {
          folders: {
            description: 'folders, relative to the working directory, whose files form the graph',
            type: 'array',
            items: { type: 'string' },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: { cycle: 'import cycle: {{cycle}}' },
  },
  create(context) {
    const root = context.cwd;
    const folders = context.options[0]?.folders ?? defaultFolders;
    const file = repositoryPath(root, context.physicalFilename);
    if (!folders.some((folder) => file.startsWith(`${folder}/`))) return {};
    const { graph, importers } = currentGraph(root, folders);
    const reaching = filesReaching(importers, file);
    const check = (node, source) => {
      if (typeof source?.value !== 'string') return;
      const target = resolveSpecifier(root, file, source.value);
      if (target === null || (target !== file && !reaching.has(target))) return;
      const back = target === file ? [file] : (importPath(graph, target, file) ?? [target, file]);
      context.report({ node, messageId: 'cycle', data: { cycle: [file, ...back].join(' → ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.source),
    };
  },
};

/** The rules of this folder as an ESLint plugin. */
export const workbenchPlugin = { rules: { 'no-import-cycle': noImportCycle } };
