/** Steps the end-to-end specs share: filling a labelled field, training tiny standard models. */
import { expect, type Page } from '@playwright/test';

/** How long one tiny job may take on a loaded two-core machine. */
export const jobTimeout = 600_000;

export async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** A small-cnn, 1 epoch on 1000 images, from the Train tab; waits until it is in the table. */
export async function trainTinyModel(page: Page, name: string, seed: string): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await fill(page, 'Model name', name);
  await fill(page, 'Epochs', '1');
  await fill(page, 'Batch size', '32');
  await fill(page, 'Learning rate', '0.002');
  await fill(page, 'Seed', seed);
  await fill(page, 'Train limit', '1000');
  await page.getByLabel('Robust (PGD adversarial training)').uncheck();
  await page.getByRole('button', { name: 'Start training' }).click();
  const run = page.getByRole('region', { name: 'Training run' });
  await expect(run.getByLabel('Final state')).toHaveText('completed', { timeout: jobTimeout });
  await expect(
    page.getByRole('table', { name: 'Trained models' }).getByRole('button', { name }),
  ).toBeVisible();
}

/** Opens the demo project and trains two tiny models in it, cnn-a and cnn-b. */
export async function demoWithTwoModels(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Open demo project' }).click();
  await expect(page.getByLabel('Current project')).toContainText('Demo project');
  await trainTinyModel(page, 'cnn-a', '1');
  await trainTinyModel(page, 'cnn-b', '2');
}
