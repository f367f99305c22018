/**
 * The module graph as DESIGN.md's layering wants it, read from the sources (type-only imports
 * told apart): no import cycle anywhere (the lint rule workbench/no-import-cycle says where, file
 * by file).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph } from '../../../scripts/lint/import-graph.mjs';

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
});
