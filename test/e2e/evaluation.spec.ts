/**
 * The "Evaluate robustness" tab end to end, in Debian's Chromium against the real browser shell
 * and engine: open the demo project, train a small CNN, run a tiny evaluation (FGSM, PGD,
 * APGD-CE and Square over three ε), check its table and sanity checks, run a Square attack from
 * the Attack tab, then reload the page and reopen the evaluation from the run list. Screenshots
 * land in /tmp/rfw-shots/ (evaluation.png, evaluation-*.png).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';

const shots = process.env['RFW_SHOTS'] ?? '/tmp/rfw-shots';
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

/** How long one tiny job may take on a loaded two-core machine. */
const jobTimeout = 600_000;

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

test('evaluate robustness: curves, table and sanity checks, reopened after a reload', async ({
  browser,
}) => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-evaluation-'));
  const shell: RunningShell = await startShell(home);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  try {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');

    await page.getByRole('tab', { name: 'Train' }).click();
    await fill(page, 'Model name', 'cnn-eval');
    await fill(page, 'Epochs', '1');
    await fill(page, 'Batch size', '32');
    await fill(page, 'Learning rate', '0.002');
    await fill(page, 'Train limit', '1000');
    await page.getByLabel('Robust (PGD adversarial training)').uncheck();
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(
      page.getByRole('region', { name: 'Training run' }).getByLabel('Final state'),
    ).toHaveText('completed', { timeout: jobTimeout });

    // The evaluation: 64 images, FGSM, PGD-5, APGD-CE-5 and Square-30 over ε = 0, 0.1, 0.3.
    await page.getByRole('tab', { name: 'Evaluate robustness' }).click();
    await fill(page, 'Test images (first N)', '64');
    await fill(page, 'ε values', '0, 0.1, 0.3');
    await fill(page, 'PGD steps', '5');
    await fill(page, 'APGD-CE iterations', '5');
    // APGD-T, FAB-T and Square are ticked by default (AutoAttack's suite); this table keeps
    // APGD-T and FAB-T out.
    await page.getByLabel('APGD-T', { exact: true }).uncheck();
    await page.getByLabel('FAB-T', { exact: true }).uncheck();
    await page.getByLabel('Square (black-box)').check();
    await fill(page, 'Square queries', '30');
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    const results = page.getByRole('region', { name: 'Evaluation results' });
    await expect(results).toBeVisible({ timeout: jobTimeout });
    const table = results.getByRole('table', { name: 'Robust accuracy table' });
    await expect(table.locator('thead th')).toHaveCount(4);
    await expect(table.locator('tbody tr')).toHaveCount(5);
    await expect(table.locator('tbody tr').last()).toContainText('Worst case');
    await expect(table.locator('tbody tr').nth(3)).toContainText('Square-30');
    // Every figure with its n: the table says it, each cell carries its Wilson interval, and the
    // headline figures their k/64.
    await expect(results.getByText('Robust accuracy of the 64 test images')).toBeVisible();
    await expect(table.locator('tbody td').nth(1)).toHaveText(/^\d+\.\d%\s*\d+\.\d–\d+\.\d%$/);
    await expect(results.getByText(/^\d+\/64 · 95% CI /).first()).toBeVisible();
    // AutoAttack's count: what each attack broke first, one row per attack.
    const brokenFirst = results.getByRole('table', {
      name: 'Images each attack broke first table',
    });
    await expect(brokenFirst.locator('tbody tr')).toHaveCount(4);
    // Per class: one row per digit, whose images add up to the 64.
    await results.getByText('Robust accuracy per class').click();
    const perClass = results.getByRole('table', { name: 'Robust accuracy per class table' });
    await expect(perClass.locator('tbody tr')).toHaveCount(10);
    const classImages = await perClass.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(classImages.reduce((sum, text) => sum + Number(text), 0)).toBe(64);
    await expect(page.getByRole('img', { name: 'Robust accuracy against ε chart' })).toBeVisible();
    const checks = results.getByRole('region', { name: 'Sanity checks' });
    await expect(checks.getByText('ε = 0 gives the clean accuracy')).toBeVisible();
    await expect(checks.getByText('input gradients are finite and non-zero')).toBeVisible();
    await expect(checks.getByText(/^Square-30 does not beat the white-box/)).toBeVisible();
    // textContent, which toHaveText compares (innerText would add the cells' line breaks).
    const worst = await table.locator('tbody tr').last().locator('td').allTextContents();
    await shot(page, 'evaluation');

    // The CSV export downloads the curves in long format.
    const download = page.waitForEvent('download');
    await results.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^evaluation-run-\d+\.csv$/);

    // A Square attack from the Attack tab shows the queries it spent per image.
    await page.getByRole('tab', { name: 'Attack' }).click();
    await fill(page, 'Number of test images', '8');
    await page.getByLabel('Method', { exact: true }).selectOption('square');
    await expect(page.getByLabel('Steps', { exact: true })).toBeHidden();
    await fill(page, 'Queries per image', '40');
    await page.getByRole('button', { name: 'Start attack' }).click();
    const attack = page.getByRole('region', { name: 'Attack results' });
    await expect(attack.getByLabel('Mean queries per image')).toBeVisible({ timeout: jobTimeout });
    await shot(page, 'evaluation-square-attack');

    // Reload: the evaluation reopens from the run list with the same table.
    await page.reload();
    await page.getByRole('tab', { name: 'Evaluate robustness' }).click();
    await page
      .getByRole('table', { name: 'Evaluation runs' })
      .getByRole('button', { name: /^Evaluate cnn-eval/ })
      .click();
    const reopened = page.getByRole('region', { name: 'Evaluation results' });
    const reopenedTable = reopened.getByRole('table', { name: 'Robust accuracy table' });
    await expect(reopenedTable.locator('tbody tr').last().locator('td')).toHaveText(worst);
    await expect(page.getByLabel('ε values', { exact: true })).toHaveValue('0, 0.1, 0.3');
    await shot(page, 'evaluation-reopened');

    // Compare: the evaluation's worst-case curve on the overlaid chart.
    await page.getByRole('tab', { name: 'Compare', exact: true }).click();
    await page.getByRole('checkbox', { name: /cnn-eval/ }).check();
    await expect(
      page.getByRole('table', { name: 'Compared evaluation runs' }).locator('tbody tr'),
    ).toHaveCount(1);
    await expect(
      page.getByRole('img', { name: 'Compared robust accuracy against ε' }),
    ).toBeVisible();
    await shot(page, 'compare-curves');
  } finally {
    await page.close();
    await shell.stop();
  }
});
