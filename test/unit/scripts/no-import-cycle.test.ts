/**
 * The lint rule workbench/no-import-cycle on a small project in a temporary folder: a cycle of
 * type-only imports is reported at each import that closes it, with the chain of files; imports
 * that do not close a cycle, and files outside the configured folders, are left alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { workbenchPlugin } from '../../../scripts/lint/no-import-cycle.mjs';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rfw-cycles-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function lint(root: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { workbench: workbenchPlugin },
        rules: { 'workbench/no-import-cycle': ['error', { folders: ['src'] }] },
      },
    ],
  });
  const results = await eslint.lintFiles(['.']);
  return results.flatMap((result) =>
    result.messages.map(
      (message) => `${result.filePath.slice(root.length + 1)}:${message.line} ${message.message}`,
    ),
  );
}

describe('workbench/no-import-cycle', () => {
  it('reports a cycle of type-only imports at each import that closes it', async () => {
    const root = project({
      'src/protocol.ts': "import type { Spec } from './leaf';\nexport type Job = { spec: Spec };\n",
      'src/leaf.ts':
        "import type { Summary } from './views/summary';\nexport type Spec = { summary: Summary };\n",
      'src/views/summary.ts':
        "import type { Job } from '../protocol';\nexport type Summary = { job?: Job };\n",
      'src/other.ts': "import type { Job } from './protocol';\nexport type Other = Job;\n",
      'outside/loop.ts': "import type { Other } from '../src/other';\nexport type Loop = Other;\n",
    });
    expect((await lint(root)).sort()).toEqual([
      'src/leaf.ts:1 import cycle: src/leaf.ts → src/views/summary.ts → src/protocol.ts → src/leaf.ts',
      'src/protocol.ts:1 import cycle: src/protocol.ts → src/leaf.ts → src/views/summary.ts → src/protocol.ts',
      'src/views/summary.ts:1 import cycle: src/views/summary.ts → src/protocol.ts → src/leaf.ts → src/views/summary.ts',
    ]);
  });

  it('passes a graph without cycles, re-exports and dynamic imports included', async () => {
    const root = project({
      'src/a.ts': "export { b } from './b';\nexport const a = () => import('./c');\n",
      'src/b.ts': "import { c } from './c';\nexport const b = c;\n",
      'src/c.ts': 'export const c = 1;\n',
    });
    expect(await lint(root)).toEqual([]);
  });

  it('reports a file that imports itself', async () => {
    const root = project({
      'src/self.ts': "import type { Self } from './self';\nexport type Self = { next?: Self };\n",
    });
    expect(await lint(root)).toEqual(['src/self.ts:1 import cycle: src/self.ts → src/self.ts']);
  });
});
