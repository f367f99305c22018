/**
 * What the screen says must be true (issue 12 §14, §15, §17): the elapsed time of a running job
 * counts up; explicit attack indices are test-split positions, as the box's label says; attack
 * success counts only the images the model had right, with the already-misclassified ones named.
 * Screenshots land in test-results/screenshots/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';
import { fill, jobTimeout, trainTinyModel } from './ui-steps';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join('test-results/screenshots', `${name}.png`), fullPage: true });

test.describe('what the screen says', () => {
  let shell: RunningShell;
  test.beforeAll(async () => {
    shell = await startShell(mkdtempSync(join(tmpdir(), 'rfw-e2e-truth-')));
  });
  test.afterAll(async () => {
    await shell.stop();
  });

  test('elapsed time counts up, indices are test images, success counts correct images', async ({
    page,
  }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');

    // §17: while training runs, the elapsed time moves past "0 s" before the run ends.
    await page.getByRole('tab', { name: 'Train' }).click();
    await fill(page, 'Model name', 'truth-cnn');
    await fill(page, 'Epochs', '2');
    await fill(page, 'Batch size', '32');
    await fill(page, 'Learning rate', '0.002');
    await fill(page, 'Train limit', '4000');
    await page.getByLabel('Robust (PGD adversarial training)').uncheck();
    await page.getByRole('button', { name: 'Start training' }).click();
    const run = page.getByRole('region', { name: 'Training run' });
    const elapsed = run.getByLabel('Elapsed time');
    await expect(elapsed).toHaveText(/^([1-9]\d* s|\d+ min \d+ s)$/, { timeout: jobTimeout });
    // Still running when it said so: the count is live, not the final duration.
    await expect(run.getByRole('button', { name: 'Cancel' })).toBeVisible();
    const first = await elapsed.textContent();
    await expect(elapsed).not.toHaveText(first ?? '', { timeout: jobTimeout });
    await shot(page, 'truth-01-training-elapsed');
    await expect(run.getByLabel('Final state')).toHaveText('completed', { timeout: jobTimeout });

    // §14: explicit indices are positions in the test split.
    await page.getByRole('tab', { name: 'Attack' }).click();
    await page.getByLabel('Test images at positions').check();
    await fill(page, 'Image indices', '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15');
    await fill(page, 'ε (epsilon)', '0.2');
    await fill(page, 'Steps', '5');
    await fill(page, 'Step size', '0.05');
    await page.getByRole('button', { name: 'Start attack' }).click();
    const results = page.getByRole('region', { name: 'Attack results' });
    await expect(results).toBeVisible({ timeout: jobTimeout });
    const examples = results.getByRole('article');
    await expect(examples).toHaveCount(16);
    await expect(examples.first()).toContainText('test image 0');
    await expect(examples.nth(15)).toContainText('test image 15');
    await expect(results.getByText('training image')).toHaveCount(0);

    // §15: success is over the images the model had right; the others are named, not counted.
    const wrong = await results
      .getByLabel('Attack outcome')
      .filter({ hasText: 'already misclassified' })
      .count();
    const succeeded = await results
      .getByLabel('Attack outcome')
      .filter({ hasText: 'attack succeeded' })
      .count();
    await expect(results.getByLabel('Attack success', { exact: true })).toHaveText(
      `${succeeded} / ${16 - wrong}`,
    );
    const words = `fooled ${succeeded} of the ${16 - wrong} image${16 - wrong === 1 ? '' : 's'} it classified correctly`;
    await expect(results.getByLabel('Attack success in words')).toHaveText(
      wrong === 0
        ? words
        : `${words}; ${wrong} of 16 ${wrong === 1 ? 'was' : 'were'} already misclassified`,
    );
    await shot(page, 'truth-02-attack-results');
  });

  test('resume training is offered only for a run with a checkpoint', async ({ page }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    // §18: a robust run cancelled at once stops long before its first epoch ends.
    await page.getByRole('tab', { name: 'Train' }).click();
    await fill(page, 'Model name', 'stopped-early');
    await fill(page, 'Epochs', '3');
    await fill(page, 'Train limit', '');
    await page.getByLabel('Robust (PGD adversarial training)').check();
    await page.getByRole('button', { name: 'Start training' }).click();
    const run = page.getByRole('region', { name: 'Training run' });
    await run.getByRole('button', { name: 'Cancel' }).click();
    await expect(run.getByLabel('Final state')).toHaveText('cancelled', { timeout: jobTimeout });
    await expect(run.getByLabel('Why it cannot be resumed')).toContainText(
      'no checkpoint to resume from',
    );
    await expect(run.getByRole('button', { name: 'Resume training' })).toHaveCount(0);
    await shot(page, 'truth-03-cancelled-without-checkpoint');
  });

  test('a features run is named after its own view; runs and models are renamed and deleted', async ({
    page,
  }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    // Two models trained under one name: the second gets a free one.
    await trainTinyModel(page, 'twin', '1');
    await trainTinyModel(page, 'twin (2)', '2');
    const models = page.getByRole('table', { name: 'Trained models' });

    // §16: a saliency run opened from the Gallery, then a feature visualization from the form.
    await page.getByRole('tab', { name: 'Features lab' }).click();
    await page.getByLabel('View', { exact: true }).selectOption('saliency');
    const grid = page.getByRole('group', { name: 'Dataset images to choose from' });
    await grid.getByRole('button').first().click();
    await fill(page, 'SmoothGrad samples', '4');
    await fill(page, 'IG steps', '4');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const run = page.getByRole('region', { name: 'Features run', exact: true });
    await expect(run.getByLabel('Run status')).toHaveText('completed', { timeout: jobTimeout });
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByRole('button', { name: /^Open saliency/ }).click();
    await expect(run.getByRole('heading', { level: 2 })).toContainText('saliency');
    await page.getByLabel('View', { exact: true }).selectOption('feature-visualization');
    await fill(page, 'Unit', '3');
    await fill(page, 'Top images', '2');
    await fill(page, 'Search the first', '50');
    await fill(page, 'Steps', '2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(run.getByLabel('Run status')).toHaveText('completed', { timeout: jobTimeout });
    await expect(run.getByRole('heading', { level: 2 })).toContainText(
      /^Run #\d+: feature-visualization /,
    );

    // Renaming a model: the reason shows at the field, in plain words.
    await page.getByRole('tab', { name: 'Train' }).click();
    const twin2 = models.getByRole('row').filter({ hasText: 'twin (2)' });
    await twin2.getByRole('button', { name: 'Rename', exact: true }).click();
    const field = models.getByLabel('New name for model twin (2)');
    await field.fill('   ');
    await models.getByRole('button', { name: 'Save' }).click();
    await expect(models.getByRole('alert')).toHaveText('a name cannot be empty');
    await field.fill('twin');
    await models.getByRole('button', { name: 'Save' }).click();
    await expect(models.getByRole('alert')).toContainText('a model named "twin" already exists');
    await shot(page, 'truth-04-model-rename-refused');
    await field.fill('  sibling  ');
    await models.getByRole('button', { name: 'Save' }).click();
    await expect(models.getByRole('button', { name: 'sibling', exact: true })).toBeVisible();

    // Deleting it names the runs that used it first, and keeps them.
    const sibling = models.getByRole('row').filter({ hasText: 'sibling' });
    await sibling.getByRole('button', { name: 'Delete…', exact: true }).click();
    const confirm = page.getByRole('region', { name: 'Delete model' });
    await expect(confirm.getByRole('list', { name: 'Runs that used the model' })).toContainText(
      'train: twin (2)',
    );
    await shot(page, 'truth-05-model-delete');
    await confirm.getByRole('button', { name: 'Delete model' }).click();
    await expect(models.getByRole('button', { name: 'sibling', exact: true })).toHaveCount(0);

    // Renaming a run, from the Runs view.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await runs
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: /^Open run \d+ twin \(2\) / }) })
      .getByRole('button', { name: 'Rename', exact: true })
      .click();
    await runs.getByLabel(/^New name for run \d+$/).fill('second twin, model deleted');
    await runs.getByRole('button', { name: 'Save' }).click();
    await expect(runs).toContainText('second twin, model deleted');
    await shot(page, 'truth-06-runs-renamed');
  });
});
