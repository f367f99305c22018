/**
 * Dataset import and export through the UI, in Debian's Chromium against the browser shell:
 * a bad path is refused in the preview, the real Fashion-MNIST files (Debian's
 * dataset-fashion-mnist) are previewed and imported with a progress bar, the new dataset is
 * browsed, and exported as .npy. Screenshots land in test-results/screenshots/ and
 * /tmp/rfw-shots/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startShell } from './browser-shell-process';

const fashion = '/usr/share/datasets/fashion-mnist';
const shots = ['test-results/screenshots', '/tmp/rfw-shots'];

async function shot(page: Page, name: string): Promise<void> {
  for (const folder of shots) {
    mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: join(folder, `${name}.png`) });
  }
}

test('import Fashion-MNIST through the Import dialog, browse it and export it as .npy', async ({
  browser,
}) => {
  test.skip(!existsSync(join(fashion, 'train-images-idx3-ubyte.gz')), `${fashion} is missing`);
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-import-'));
  const shell = await startShell(home);
  const page = await browser.newPage();
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    const hide = page.getByRole('button', { name: 'Hide form' });
    if (await hide.isVisible()) await hide.click();

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a dataset' });
    await expect(dialog).toBeVisible();

    // Bad input: the preview names the problem and Import stays off.
    await dialog.getByLabel('Folder', { exact: true }).fill(join(home, 'no-such-folder'));
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('alert', { name: 'Problems' })).toContainText('does not exist');
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();

    // The real files: counts, shape and samples before anything is written.
    await dialog.getByLabel('Folder', { exact: true }).fill(fashion);
    await dialog.getByLabel('Class names').selectOption('fashion-mnist');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByLabel('Image shape')).toHaveText('28 × 28 × 1', { timeout: 60_000 });
    await expect(dialog.getByLabel('Train count')).toHaveText('60,000');
    await expect(dialog.getByLabel('Test count')).toHaveText('10,000');
    await expect(dialog.getByRole('img', { name: /^Sample of class / })).toHaveCount(20);
    await expect(dialog.getByRole('table', { name: 'Images per class' })).toContainText(
      'Ankle boot',
    );
    await shot(page, 'import-preview');

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByLabel('Final state')).toHaveText('completed', { timeout: 120_000 });
    await expect(dialog.getByRole('region', { name: 'Import progress' })).toContainText(
      'imported 70,000 images (60,000 train, 10,000 test) as "Fashion-MNIST"',
    );
    await shot(page, 'import');
    // Once imported, the same preview cannot be imported a second time by accident.
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // The new dataset is chosen and browsable.
    await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('2');
    await expect(page.getByLabel('Matching images')).toContainText('70,000');
    await page.getByLabel('Split', { exact: true }).selectOption('test');
    await expect(page.getByLabel('Matching images')).toContainText('10,000');
    await shot(page, 'import-browse');

    // Export as .npy into a new folder.
    const out = join(home, 'fashion-npy');
    await page.getByRole('button', { name: 'Export…' }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export a dataset' });
    await exportDialog.getByLabel('Format').selectOption('npy');
    await exportDialog.getByLabel('Folder', { exact: true }).fill(out);
    await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(exportDialog.getByLabel('Final state')).toHaveText('completed', {
      timeout: 120_000,
    });
    await shot(page, 'export');
    expect(readdirSync(out).sort()).toEqual([
      'dataset.json',
      'test_images.npy',
      'test_indices.npy',
      'test_labels.npy',
      'train_images.npy',
      'train_indices.npy',
      'train_labels.npy',
    ]);
  } finally {
    await page.close();
    await shell.stop();
  }
});
