/**
 * The module graph as DESIGN.md's layering wants it, read from the sources (type-only imports
 * told apart): no import cycle anywhere (the lint rule workbench/no-import-cycle says where, file
 * by file), and a core that never loads tensor code: no module of src-main/core reaches
 * @tensorflow through imports that survive compilation, so the main process's module graph holds
 * none (the engine runs in worker threads).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findCycles,
  packageName,
  readImportGraph,
  runtimeClosure,
} from '../../../scripts/lint/import-graph.mjs';

const root = resolve(__dirname, '../../..');
const graph = readImportGraph(root, ['src-main', 'src-renderer', 'bench', 'test']);

describe('module graph', () => {
  it('reads the project', () => {
    expect(graph.has('src-main/engine/protocol.ts')).toBe(true);
    expect(graph.has('src-renderer/src/App.svelte')).toBe(true);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('loads no tensor code from the core', () => {
    const core = [...graph.keys()].filter((file) => file.startsWith('src-main/core/'));
    expect(core.length).toBeGreaterThan(20);
    const routes: string[] = [];
    for (const file of core) {
      for (const [loaded, route] of runtimeClosure(graph, file)) {
        for (const edge of graph.get(loaded) ?? []) {
          if (edge.typeOnly || edge.target !== null) continue;
          if (packageName(edge.specifier)?.startsWith('@tensorflow/')) {
            routes.push([...route, edge.specifier].join(' → '));
          }
        }
      }
    }
    expect(routes).toEqual([]);
  });
});
