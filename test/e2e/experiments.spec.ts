/**
 * The Experiments tab end to end, in Debian's Chromium against the real browser shell and engine:
 * open the demo project, train two small CNNs, then run each experiment page with tiny settings
 * (transfer, non-robust features, robust datasets, trade-off, data efficiency) or its defaults
 * (the Gaussian and toy models, which take a second), check its table, reload the page and reopen
 * results from the run list. Screenshots land in /tmp/rfw-shots/ (experiments-*.png).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';
import { selectByText } from './select-by-text';
import { demoWithTwoModels, fill, jobTimeout } from './ui-steps';

const shots = process.env['RFW_SHOTS'] ?? '/tmp/rfw-shots';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `experiments-${name}.png`) });

async function chooseExperiment(page: Page, type: string): Promise<void> {
  await page.getByLabel('Type', { exact: true }).selectOption(type);
}

/** Starts the configured experiment and waits for its result table. */
async function runExperiment(page: Page, table: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Run experiment' }).click();
  const result = page.getByRole('region', { name: 'Experiment result' });
  const figures = result.getByRole('table', { name: table });
  await expect(figures).toBeVisible({ timeout: jobTimeout });
  await expect(
    page.getByRole('region', { name: 'Experiment run' }).getByLabel('Run status'),
  ).toHaveText('completed');
  return figures;
}

/** The fresh-model recipe fields every training experiment has, set small. */
async function tinyRecipe(page: Page): Promise<void> {
  await fill(page, 'Epochs', '1');
  await fill(page, 'Batch size', '32');
}

test('experiments: every experiment page runs, and results reopen after a reload', async ({
  browser,
}) => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-experiments-'));
  const shell: RunningShell = await startShell(home);
  const page = await browser.newPage();
  try {
    await demoWithTwoModels(page, shell.url);

    // Transfer: the two models against each other.
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await chooseExperiment(page, 'transfer');
    const models = page.getByRole('list', { name: 'Models to compare' });
    await models.getByRole('checkbox', { name: /^cnn-a / }).check();
    await models.getByRole('checkbox', { name: /^cnn-b / }).check();
    await expect(page.getByText('2 of 2–8')).toBeVisible();
    await fill(page, 'Test images', '64');
    await fill(page, 'Steps', '10');
    await shot(page, 'transfer-form');
    const heatmap = await runExperiment(page, 'Transfer success rates');
    // 2×2 success rates, printed in the cells with the images they count (fooled / classified
    // correctly), and the clean accuracy of each model of the 64.
    await expect(heatmap.locator('tbody td')).toHaveCount(4);
    await expect(heatmap.locator('tbody td').first()).toHaveText(/^\d+\.\d%\s*\d+\/\d+$/);
    await expect(heatmap.locator('tfoot td').first()).toHaveText(/^\d+\.\d%\s*\d+\/64$/);
    await expect(heatmap.locator('tfoot td')).toHaveCount(2);
    await expect(heatmap.getByRole('rowheader', { name: /cnn-a/ })).toBeVisible();
    // textContent, which toHaveText compares (innerText would add the cells' line breaks).
    const successRates = await heatmap.locator('tbody td').allTextContents();
    await shot(page, 'transfer-result');

    // Non-robust features: D_rand and D_det from 64 attacked training images.
    await chooseExperiment(page, 'non-robust-features');
    await page.getByLabel('Source model', { exact: true }).selectOption({ label: 'cnn-a' });
    await fill(page, 'Training images', '64');
    await fill(page, 'Steps', '10');
    await tinyRecipe(page);
    const nonRobust = await runExperiment(page, 'Experiment figures');
    await expect(nonRobust.locator('tbody tr')).toHaveCount(2);
    await shot(page, 'non-robust-result');

    // Robust datasets: D_R and D_NR from 32 images, 5 inversion steps. Both models are standard
    // here, so the form and the result warn that D_R is not made from a robust model.
    await chooseExperiment(page, 'robust-datasets');
    await page.getByLabel('Robust model', { exact: true }).selectOption({ label: 'cnn-a' });
    await page.getByLabel('Standard model', { exact: true }).selectOption({ label: 'cnn-b' });
    await expect(page.getByText('⚠ not adversarially trained')).toBeVisible();
    await fill(page, 'Training images', '32');
    await fill(page, 'Inversion steps', '5');
    await fill(page, 'Evaluation steps', '3');
    await fill(page, 'Evaluation images', '32');
    await tinyRecipe(page);
    await page.getByLabel('Robust model', { exact: true }).scrollIntoViewIfNeeded();
    await shot(page, 'robust-datasets-form');
    const robustDatasets = await runExperiment(page, 'Robust datasets figures');
    // D, D_R and D_NR, each with its representation distance (— for D) and accuracies.
    await expect(robustDatasets.locator('tbody tr')).toHaveCount(3);
    await expect(robustDatasets.locator('tbody tr').nth(1)).toContainText('D_R');
    await expect(robustDatasets.locator('tbody tr').nth(1).locator('td').nth(2)).toHaveText(/^\d/);
    await expect(
      page.getByRole('alert').filter({ hasText: 'was not adversarially trained' }),
    ).toBeVisible();
    await expect(
      page.getByRole('group', { name: 'D_R examples' }).locator('canvas').first(),
    ).toBeVisible();
    await shot(page, 'robust-datasets-result');

    // The Gaussian and toy models at their defaults: closed forms and a simulation, in a second.
    await chooseExperiment(page, 'robust-gaussian');
    const gaussian = await runExperiment(page, 'Gaussian classifiers');
    await expect(gaussian.locator('tbody tr')).toHaveCount(2);
    await expect(gaussian.locator('tbody tr').first()).toContainText('standard');
    await expect(page.getByRole('img', { name: 'Accuracy against attack ε' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Robust training swept over ε' })).toBeVisible();
    await shot(page, 'gaussian-result');

    await chooseExperiment(page, 'tsipras-toy');
    await expect(page.getByLabel('η', { exact: true })).toHaveAttribute(
      'placeholder',
      '2/√d = 0.2',
    );
    const tsipras = await runExperiment(page, 'Toy model classifiers');
    await expect(tsipras.locator('tbody tr')).toHaveCount(3);
    // The standard classifier: Φ(2) ≈ 97.7% clean, Φ(−2) ≈ 2.3% at ε = 2η (closed form).
    const standardRow = tsipras.locator('tbody tr').nth(1);
    await expect(standardRow.locator('td').nth(2)).toHaveText('97.7%');
    await expect(standardRow.locator('td').nth(4)).toHaveText('2.3%');
    const tsiprasFigures = await tsipras.locator('tbody td').allInnerTexts();
    await shot(page, 'tsipras-result');

    // A list field names the token it cannot read, as the user types and when the run starts.
    await chooseExperiment(page, 'robustness-tradeoff');
    await fill(page, 'Training ε', '0, 0.2, x');
    await expect(page.getByText('training ε values: "x" is not a number')).toBeVisible();
    await page.getByRole('button', { name: 'Run experiment' }).click();
    // Refused at the field that holds the token, not in the page-wide banner (issue 12 §21).
    await expect(page.locator('.field-error[data-field="epsilons"]')).toContainText(
      '"x" is not a number',
    );
    await expect(page.getByRole('alert', { name: 'Errors' })).toHaveCount(0);

    // Trade-off: a standard and an ε = 0.2 model on 128 images.
    await fill(page, 'Training ε', '0, 0.2');
    await expect(page.getByText('2 models (ε = 0: a standard one)')).toBeVisible();
    await fill(page, 'Training images', '128');
    await fill(page, 'Attack steps', '2');
    await fill(page, 'Evaluation steps', '3');
    await fill(page, 'Evaluation images', '32');
    await tinyRecipe(page);
    await shot(page, 'tradeoff-form');
    const tradeoff = await runExperiment(page, 'Trade-off figures');
    await expect(tradeoff.locator('tbody tr')).toHaveCount(2);
    await expect(
      page.getByRole('img', { name: 'Robust accuracy against evaluation ε' }),
    ).toBeVisible();
    await shot(page, 'tradeoff-result');

    // Data efficiency: standard and robust models on 64 and 128 images.
    await chooseExperiment(page, 'data-efficiency');
    await fill(page, 'Training-set sizes', '64, 128');
    await fill(page, 'Attack steps', '2');
    await fill(page, 'Evaluation steps', '3');
    await fill(page, 'Evaluation images', '32');
    await tinyRecipe(page);
    const efficiency = await runExperiment(page, 'Data efficiency figures');
    await expect(efficiency.locator('tbody tr')).toHaveCount(2);
    await expect(
      page.getByRole('img', { name: 'Accuracy against training-set size' }),
    ).toBeVisible();
    await shot(page, 'data-efficiency-result');

    // Reload: the results reopen from the run list, with their settings in the form.
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments' }).click();
    const runs = page.getByRole('table', { name: 'Experiment runs' });
    await expect(runs.getByText('completed')).toHaveCount(7);
    await runs.getByRole('button', { name: 'Transferability' }).click();
    const reopened = page
      .getByRole('region', { name: 'Experiment result' })
      .getByRole('table', { name: 'Transfer success rates' });
    await expect(reopened).toBeVisible();
    await expect(reopened.locator('tbody td')).toHaveText(successRates);
    await expect(page.getByLabel('Type', { exact: true })).toHaveValue('transfer');
    await expect(page.getByLabel('Test images', { exact: true })).toHaveValue('64');
    await expect(models.getByRole('checkbox', { name: /^cnn-b / })).toBeChecked();
    await shot(page, 'transfer-reopened');

    // The same matrix in the Compare tab.
    await page.getByRole('tab', { name: 'Compare', exact: true }).click();
    await page.getByRole('tab', { name: 'Transfer matrix' }).click();
    await selectByText(page.getByLabel('Transfer experiment'), /Transferability/);
    await expect(
      page.getByRole('table', { name: 'Transfer success rates' }).locator('tbody td'),
    ).toHaveText(successRates);
    // Two experiment runs side by side, each in its own run panel.
    await page.getByRole('tab', { name: 'Two runs' }).click();
    await selectByText(page.getByLabel('Left run'), /Transferability/);
    await selectByText(page.getByLabel('Right run'), /Non-robust features/);
    await expect(
      page
        .getByRole('region', { name: 'Left result' })
        .getByRole('table', { name: 'Transfer success rates' }),
    ).toBeVisible();
    await expect(
      page
        .getByRole('region', { name: 'Right result' })
        .getByRole('table', { name: 'Experiment figures' }),
    ).toBeVisible();
    await shot(page, 'compare-two-runs');
    await page.getByRole('tab', { name: 'Experiments' }).click();

    await runs.getByRole('button', { name: 'Non-robust features' }).click();
    const reopenedNonRobust = page
      .getByRole('region', { name: 'Experiment result' })
      .getByRole('table', { name: 'Experiment figures' });
    await expect(reopenedNonRobust.locator('tbody tr')).toHaveCount(2);
    await expect(page.getByLabel('Training images', { exact: true })).toHaveValue('64');
    await shot(page, 'non-robust-reopened');

    await runs.getByRole('button', { name: 'Robust and non-robust datasets' }).click();
    const reopenedDatasets = page
      .getByRole('region', { name: 'Experiment result' })
      .getByRole('table', { name: 'Robust datasets figures' });
    await expect(reopenedDatasets.locator('tbody tr')).toHaveCount(3);
    await expect(page.getByLabel('Inversion steps', { exact: true })).toHaveValue('5');

    await runs.getByRole('button', { name: 'Tsipras et al. toy model' }).click();
    const reopenedTsipras = page
      .getByRole('region', { name: 'Experiment result' })
      .getByRole('table', { name: 'Toy model classifiers' });
    await expect(reopenedTsipras.locator('tbody td')).toHaveText(tsiprasFigures);
    await expect(page.getByLabel('Type', { exact: true })).toHaveValue('tsipras-toy');
  } finally {
    await page.close().catch(() => {});
    await shell.stop();
  }
});
