/**
 * examples/fashion_mnist_onnx_showcase.py at a tiny size (a few seconds of PyTorch), then its two
 * ONNX files through the built CLI as the README shows them: imported for the workbench's
 * Fashion-MNIST and evaluated by `rfw eval` on the same first test images. The clean accuracies
 * must be the script's exactly. FGSM and PGD may differ by a few images: PGD's random starts come
 * from two different generators, and a max-pool window of equal values (the zero background of
 * a Fashion-MNIST image, where a PyTorch model has ties in about 23% of its first pooling windows)
 * sends its gradient to whichever equal pixel each engine picks, which flips a background
 * pixel's FGSM sign. Skipped, with the reason, without PyTorch or Debian's dataset-fashion-mnist.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../cli-process';
import { missingPythonModules, python } from '../python-oracle';

const fashion = '/usr/share/datasets/fashion-mnist';
const script = 'examples/fashion_mnist_onnx_showcase.py';
const missing =
  missingPythonModules(['torch', 'numpy']) ??
  (existsSync(join(fashion, 't10k-images-idx3-ubyte.gz')) ? null : `${fashion} is missing`);
if (missing !== null) console.log(`showcase script check skipped: ${missing}`);

interface Figures {
  test: { images: number };
  epsilon: number;
  models: Record<
    'standard' | 'robust',
    { file: string; sha256: string; accuracy: { clean: number; fgsm: number; pgd: number } }
  >;
}

interface Evaluation {
  result: {
    examples: number;
    cleanAccuracy: number;
    epsilons: number[];
    curves: { method: string; accuracy: number[] }[];
  };
}

describe.skipIf(missing !== null)('the Fashion-MNIST ONNX showcase script', () => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-showcase-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  async function rfw(...args: string[]): Promise<string> {
    const ran = await runCli(home, args, 300_000);
    if (ran.code !== 0) throw new Error(`rfw ${args.join(' ')} exited ${ran.code}: ${ran.stderr}`);
    return ran.stdout;
  }

  it('exports models whose workbench accuracy on the same test images is the script’s', async () => {
    requireBuiltCli();
    const out = join(home, 'onnx');
    const tiny = ['--train-size', '512', '--epochs', '1', '--robust-epochs', '1'];
    const steps = ['--train-steps', '2', '--eval-steps', '3', '--test-count', '200'];
    const ran = spawnSync(python, [script, '--out', out, ...tiny, ...steps], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^standard: trained in \d+ s; on the first 200 test images: clean/m);
    const figures = JSON.parse(readFileSync(join(out, 'figures.json'), 'utf8')) as Figures;
    expect(figures.test.images).toBe(200);

    const project = join(home, 'showcase.rfw');
    await rfw('demo', '--project', project);
    await rfw(
      ...['import', '--project', project, '--format', 'idx', '--path', fashion],
      ...['--classes', 'fashion-mnist', '--name', 'Fashion-MNIST'],
    );
    for (const kind of ['standard', 'robust'] as const) {
      const model = figures.models[kind];
      const imported = await rfw(
        ...['import', '--project', project, '--format', 'onnx', '--path', model.file],
        ...['--dataset', '2', '--name', kind],
      );
      // Provenance: the file's hash and the script's (x − μ) / σ found at the input.
      expect(imported).toContain(`sha256 ${model.sha256}`);
      expect(imported).toMatch(/normalization: mean 0\.286\d*, std 0\.35\d* \(\/Sub, \/Div\)/);
      const id = kind === 'standard' ? '1' : '2';
      const evaluation = JSON.parse(
        await rfw(
          ...['eval', '--project', project, '--model', id, '--count', '200'],
          ...['--attacks', 'fgsm,pgd', '--steps', '3', '--epsilons', `0,${figures.epsilon}`],
          '--json',
        ),
      ) as Evaluation;
      const { result } = evaluation;
      const at = result.epsilons.indexOf(figures.epsilon);
      const curve = (method: string) =>
        result.curves.find((c) => c.method === method)?.accuracy[at] ?? Number.NaN;
      expect(result.examples).toBe(200);
      // Counted in images (the script's figures are float32 means).
      const images = (accuracy: number) => Math.round(accuracy * 200);
      console.log(
        `showcase ${kind}, images right of 200 (PyTorch / workbench): clean ` +
          `${images(model.accuracy.clean)} / ${images(result.cleanAccuracy)}, FGSM ` +
          `${images(model.accuracy.fgsm)} / ${images(curve('fgsm'))}, PGD-3 ` +
          `${images(model.accuracy.pgd)} / ${images(curve('pgd'))}`,
      );
      expect(images(result.cleanAccuracy)).toBe(images(model.accuracy.clean));
      expect(Math.abs(images(curve('fgsm')) - images(model.accuracy.fgsm))).toBeLessThanOrEqual(6);
      expect(Math.abs(images(curve('pgd')) - images(model.accuracy.pgd))).toBeLessThanOrEqual(10);
    }
  }, 600_000);
});
