/**
 * Bring your own model (issue 13) through the UI, in Debian's Chromium against the browser shell:
 * the Models view's "Import model…" dialog refuses a file that is not ONNX and an ONNX model
 * whose class count is not the dataset's, each in words and with nothing added, then imports a
 * valid .onnx, with the test accuracy measured at import (and over how many images), and shows
 * it in the model's row and its provenance block (file, ops and counts, stored values, input
 * shape and range, normalization, representation node) under that row.
 *
 * The valid file is made at test time without Python: a tiny small-cnn trained and exported by
 * the built CLI (`rfw export --format onnx`), before the shell holds the project. Screenshots
 * land in test-results/screenshots/ (onnx-import-*.png).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { requireBuiltCli, runCli } from '../unit/cli-process';
import { startShell } from './browser-shell-process';
import { selectByText } from './select-by-text';
import { jobTimeout } from './ui-steps';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join('test-results/screenshots', `onnx-import-${name}.png`) });

async function rfw(home: string, ...args: string[]): Promise<string> {
  const ran = await runCli(home, args, 300_000);
  if (ran.code !== 0) throw new Error(`rfw ${args.join(' ')} exited ${ran.code}: ${ran.stderr}`);
  return ran.stdout;
}

test('the Models view imports an ONNX model with its provenance, and refuses bad files in words', async ({
  browser,
}) => {
  requireBuiltCli();
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-onnx-'));
  const project = join(home, 'onnx-import.rfw');
  const onnxFolder = join(home, 'tiny-onnx');
  const notOnnx = join(home, 'not-a-model.onnx');
  // The project's first dataset is the demo's MNIST (10 classes); a second one of the same
  // image size has 3 classes, which a 10-class model does not fit.
  await rfw(home, 'demo', '--project', project);
  const tiny = ['--name', 'tiny', '--limit', '256', '--epochs', '1', '--no-validation'];
  await rfw(home, 'train', '--project', project, ...tiny);
  await rfw(
    home,
    'export',
    '--project',
    project,
    '--model',
    '1',
    '--format',
    'onnx',
    '--to',
    onnxFolder,
  );
  await rfw(
    home,
    'import',
    '--project',
    project,
    '--format',
    'synthetic',
    '--count',
    '60',
    '--size',
    '28',
    '--grayscale',
    '--num-classes',
    '3',
    '--name',
    'three classes',
  );
  writeFileSync(notOnnx, 'this is a text file, not an ONNX model\n');
  const validOnnx = join(onnxFolder, 'model.onnx');

  const shell = await startShell(home);
  const page = await browser.newPage();
  try {
    await page.goto(`${shell.url}#/project=${encodeURIComponent(project)}&tab=train`);
    const models = page.getByRole('table', { name: 'Trained models' });
    await expect(models.getByRole('button', { name: 'tiny', exact: true })).toBeVisible();
    await expect(models.locator('tbody tr')).toHaveCount(1);

    await page.getByRole('button', { name: 'Import model…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a model' });
    await expect(dialog).toBeVisible();
    const path = dialog.getByLabel('model.json or .onnx');
    const dataset = dialog.getByLabel('Dataset', { exact: true });
    const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
    const refusal = dialog.getByRole('alert');

    // 1. Not an ONNX file: said in words, no model and no run added.
    await path.fill(notOnnx);
    await selectByText(dataset, /^MNIST/);
    await expect(dialog.getByLabel('Representation node')).toBeVisible();
    await importButton.click();
    await expect(refusal).toContainText(`${notOnnx}: not an ONNX model`);
    await shot(page, 'not-onnx');

    // 2. A 10-class model for a 3-class dataset: both counts named.
    await path.fill(validOnnx);
    await selectByText(dataset, /^three classes/);
    await importButton.click();
    await expect(refusal).toContainText(
      'model.onnx outputs 10 classes (output "logits" [N, 10]), but dataset "three classes" has 3',
    );
    await shot(page, 'class-mismatch');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(models.locator('tbody tr')).toHaveCount(1);
    // Nor a run row: read beside the shell (read-only), the project has the CLI's two runs.
    const listed = JSON.parse(
      await rfw(home, 'list', '--project', project, '--what', 'runs', '--json'),
    ) as { runs: { kind: string }[] };
    expect(listed.runs.map((run) => run.kind).sort()).toEqual(['export', 'train']);

    // 3. The valid file, for MNIST, under a name of our own.
    await page.getByRole('button', { name: 'Import model…' }).click();
    await expect(dialog).toBeVisible();
    await path.fill(validOnnx);
    await selectByText(dataset, /^MNIST/);
    await dialog.getByLabel('Name', { exact: true }).fill('tiny from ONNX');
    await importButton.click();
    await expect(dialog.getByLabel('Final state')).toHaveText('completed', {
      timeout: jobTimeout,
    });
    await expect(dialog.getByRole('status', { name: 'Imported model' })).toContainText(
      'Imported as model 2 (206,924 parameters).',
    );
    // Its test accuracy was measured at import, over MNIST's whole test split.
    await expect(dialog.getByRole('status', { name: 'Imported model' })).toContainText(
      /test accuracy \d+\.\d\d%, measured on the dataset's 2000 test images/,
    );
    await expect(refusal).toHaveCount(0);
    // The same form again would only add a copy: Import waits for a change.
    await expect(importButton).toBeDisabled();
    await dialog.getByLabel('Name', { exact: true }).fill('tiny from ONNX, again');
    await expect(importButton).toBeEnabled();
    await dialog.getByLabel('Name', { exact: true }).fill('tiny from ONNX');
    await expect(importButton).toBeDisabled();
    await shot(page, 'imported');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // The new row, then its provenance under it once chosen.
    const imported = models.locator('tbody tr').filter({
      has: page.getByRole('button', { name: 'tiny from ONNX', exact: true }),
    });
    await expect(imported).toContainText('onnx');
    await expect(imported).toContainText('imported');
    // A test accuracy, as trained models have: the exported model's own, since the ONNX file is
    // that classifier and both were measured on the same test split.
    const accuracyCell = (row: typeof imported) => row.locator('td').nth(4);
    const trained = models.locator('tbody tr').filter({
      has: page.getByRole('button', { name: 'tiny', exact: true }),
    });
    await expect(accuracyCell(imported)).toHaveText(/^\d+\.\d%$/);
    await expect(accuracyCell(imported)).toHaveText(
      (await accuracyCell(trained).textContent()) ?? '',
    );
    await models.getByRole('button', { name: 'tiny from ONNX', exact: true }).click();
    const provenance = page.getByLabel('ONNX provenance');
    await expect(provenance).toBeVisible();
    const row = (term: string) => provenance.locator('dt', { hasText: term }).locator('+ dd');
    await expect(row('File')).toContainText('model.onnx (');
    await expect(row('SHA-256')).toHaveText(/^[0-9a-f]{64}$/);
    await expect(row('Producer')).toContainText('robust-features-workbench');
    await expect(row('Producer')).toContainText('opset 13');
    for (const op of ['Conv ×2', 'Gemm ×2', 'MaxPool ×2', 'Relu ×3', 'Flatten ×1']) {
      await expect(row('Ops')).toContainText(op);
    }
    await expect(row('Stored values')).toContainText('206,924');
    await expect(row('Input')).toContainText('images [1, 28, 28], pixels fed in [0, 1]');
    // The workbench's own export scales x to 2x − 1 (Mul, Add): not a (x − μ) / σ prefix.
    await expect(row('Normalization')).toHaveText('none found at the input');
    await expect(row('Representation')).toContainText('output of fc1.relu [128], 128 values');
    // Its run, shown above, imported it: said so, instead of an empty training chart.
    const run = page.getByRole('region', { name: 'Training run' });
    await expect(run.getByLabel('Imported, not trained')).toContainText('no training metrics');
    await expect(run.getByLabel('Training metrics chart')).toHaveCount(0);
    await provenance.scrollIntoViewIfNeeded();
    await shot(page, 'provenance');
  } finally {
    await page.close();
    await shell.stop();
  }
});
