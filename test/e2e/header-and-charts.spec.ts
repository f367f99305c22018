/**
 * Issue 12 §22 at the widths people use: the header keeps the project name readable and clear of
 * its buttons and keeps "Recent projects" on screen at 1024 and 1280 px; the training curves and
 * the evaluation chart, with one colour per series and the worst case on top, are photographed
 * at both widths. Screenshots land in test-results/screenshots/header-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';
import { fill, jobTimeout } from './ui-steps';

const widths = [1024, 1280] as const;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('no bounding box: the element is not rendered');
  return found;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The header's checks at the page's current width. */
async function checkHeader(page: Page, width: number): Promise<void> {
  const header = page.locator('header.top-bar');
  const name = header.locator('.project-name');
  await expect(name).toHaveText('Demo project');
  const nameBox = await box(name);
  // The whole name shows: its box is not squeezed below its text, so no tooltip is needed.
  const [scroll, client] = await name.evaluate((e) => [e.scrollWidth, e.clientWidth]);
  expect(scroll, `name cut off at ${width} px`).toBeLessThanOrEqual(client);
  await expect(name).not.toHaveAttribute('title');
  expect(nameBox.x).toBeGreaterThanOrEqual(0);
  expect(nameBox.x + nameBox.width).toBeLessThanOrEqual(width);
  for (const button of await header.locator('button, summary').all()) {
    const buttonBox = await box(button);
    const label = await button.innerText();
    expect(overlap(nameBox, buttonBox), `"${label}" covers the name at ${width} px`).toBe(false);
    expect(buttonBox.x + buttonBox.width, `"${label}" at ${width} px`).toBeLessThanOrEqual(width);
  }
  const recent = await box(header.getByText('Recent projects'));
  expect(recent.x).toBeGreaterThanOrEqual(0);
  expect(recent.x + recent.width).toBeLessThanOrEqual(width);
  await header.screenshot({ path: join('test-results/screenshots', `header-${width}.png`) });
}

async function shotAtWidths(page: Page, chart: Locator, name: string): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await chart.scrollIntoViewIfNeeded();
    await chart.screenshot({ path: join('test-results/screenshots', `${name}-${width}.png`) });
  }
}

test.describe('header and chart colours', () => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-header-'));
  let shell: RunningShell;
  test.beforeAll(async () => {
    shell = await startShell(home);
  });
  test.afterAll(async () => {
    await shell.stop();
  });

  test('the header at 1024 and 1280 px', async ({ page }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    for (const width of widths) {
      await page.setViewportSize({ width, height: 800 });
      await checkHeader(page, width);
    }
  });

  test('training curves and the evaluation chart at 1024 and 1280 px', async ({ page }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');

    // A tiny PGD-trained model with a validation set: test accuracy and validation robust
    // accuracy on one chart, the pair that shared a blue.
    await page.getByRole('tab', { name: 'Train' }).click();
    await fill(page, 'Model name', 'colours-cnn');
    await fill(page, 'Epochs', '2');
    await fill(page, 'Batch size', '32');
    await fill(page, 'Train limit', '400');
    await page.getByLabel('Robust (PGD adversarial training)').check();
    await fill(page, 'Steps', '2');
    await page.getByLabel('Hold out a validation set').check();
    await fill(page, 'Validation size', '64');
    await page.getByRole('button', { name: 'Start training' }).click();
    const run = page.getByRole('region', { name: 'Training run' });
    await expect(run.getByLabel('Final state')).toHaveText('completed', { timeout: jobTimeout });
    await shotAtWidths(
      page,
      page.getByRole('img', { name: 'Training metrics chart' }),
      'header-train-curves',
    );

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('tab', { name: 'Evaluate robustness' }).click();
    await fill(page, 'Test images (first N)', '64');
    await fill(page, 'ε values', '0, 0.1, 0.3');
    await fill(page, 'PGD steps', '5');
    await fill(page, 'APGD-CE iterations', '5');
    await page.getByLabel('APGD-T', { exact: true }).uncheck();
    await page.getByLabel('Square (black-box)').uncheck();
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    const results = page.getByRole('region', { name: 'Evaluation results' });
    await expect(results).toBeVisible({ timeout: jobTimeout });
    await shotAtWidths(
      page,
      page.getByRole('img', { name: 'Robust accuracy against ε chart' }),
      'header-evaluation-chart',
    );
  });
});
