/**
 * The Features lab end to end, in Debian's Chromium against the real browser shell and engine:
 * open the demo project, train two small CNNs, run every view at small settings for both models
 * side by side, check that its pictures appear, then reload the page and reopen each result from
 * the run list and the gallery (with a note that survives the reload). Screenshots land in
 * /tmp/rfw-shots/ (lab-*.png).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';
import { selectByText } from './select-by-text';
import { demoWithTwoModels, fill, jobTimeout } from './ui-steps';

const shots = process.env['RFW_SHOTS'] ?? '/tmp/rfw-shots';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `lab-${name}.png`) });

/** Picks the first `count` images of the picker's page. */
async function pickImages(page: Page, count: number): Promise<void> {
  const grid = page.getByRole('group', { name: 'Dataset images to choose from' });
  const clear = page.getByRole('button', { name: 'Clear', exact: true });
  if (await clear.isVisible()) await clear.click();
  for (let i = 0; i < count; i++) await grid.getByRole('button').nth(i).click();
}

/** Runs the configured view with both models and waits for both model panels. */
async function runView(page: Page, name: string): Promise<void> {
  await fill(page, 'Name', name);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const run = page.getByRole('region', { name: 'Features run', exact: true });
  await expect(run.getByLabel('Run status')).toHaveText('completed', { timeout: jobTimeout });
  await expect(run.getByRole('region', { name: 'cnn-a' }).first()).toBeVisible();
  await expect(run.getByRole('region', { name: 'cnn-b' }).first()).toBeVisible();
}

async function chooseView(page: Page, view: string): Promise<void> {
  await page.getByLabel('View', { exact: true }).selectOption(view);
}

test('features lab: every view runs for two models, and results reopen after a reload', async ({
  browser,
}) => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-lab-'));
  const shell: RunningShell = await startShell(home);
  const page = await browser.newPage();
  try {
    await demoWithTwoModels(page, shell.url);

    await page.getByRole('tab', { name: 'Features lab' }).click();
    // The first option is “(no second model)”, then the models other than the first: cnn-b.
    await page.getByLabel('Compare with').selectOption({ index: 1 });
    const run = page.getByRole('region', { name: 'Features run', exact: true });

    // 1. Saliency: three methods, the randomization check, heatmap controls.
    await chooseView(page, 'saliency');
    await pickImages(page, 2);
    await fill(page, 'SmoothGrad samples', '4');
    await fill(page, 'IG steps', '4');
    await runView(page, 'lab saliency');
    await expect(run.getByLabel('Colormap')).toBeVisible();
    await run.getByLabel('Colormap').selectOption('viridis');
    await shot(page, 'saliency');
    // Exports: one picture as drawn, the whole figure with captions, the table.
    let download = page.waitForEvent('download');
    await run
      .getByRole('button', { name: /^Save SmoothGrad \(#\d+\) as PNG$/ })
      .first()
      .click();
    expect((await download).suggestedFilename()).toMatch(/^SmoothGrad-\d+\.png$/);
    download = page.waitForEvent('download');
    await run.getByRole('button', { name: 'Export figure PNG' }).click();
    expect((await download).suggestedFilename()).toBe('lab-saliency.png');
    download = page.waitForEvent('download');
    await run.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toBe('lab-saliency.csv');

    // 1b. Cascading randomization: a column per layer re-drawn, from the logits down.
    await page.getByLabel('Randomize').selectOption('cascading');
    await runView(page, 'lab cascade');
    const cascade = run.getByRole('table', { name: 'lab cascade: figures' });
    await expect(cascade.getByRole('columnheader', { name: 'layer added' })).toBeVisible();
    await expect(cascade.getByRole('cell', { name: 'fc2', exact: true }).first()).toBeVisible();
    await expect(run.getByText('+ conv1', { exact: true }).first()).toBeVisible();
    await shot(page, 'saliency-cascade');

    // 2. Inversion from noise.
    await chooseView(page, 'inversion');
    await pickImages(page, 2);
    await fill(page, 'Steps', '10');
    await runView(page, 'lab inversion');
    await expect(run.getByRole('table', { name: 'lab inversion: figures' })).toBeVisible();
    await shot(page, 'inversion');
    // The curve exports as a vector figure too.
    const svg = page.waitForEvent('download');
    await run.getByRole('button', { name: /as SVG$/ }).click();
    expect((await svg).suggestedFilename()).toMatch(/\.svg$/);

    // 3. Interpolation between the first two images.
    await chooseView(page, 'interpolation');
    await pickImages(page, 2);
    await fill(page, 'Frames', '3');
    await fill(page, 'Steps', '5');
    await runView(page, 'lab interpolation');
    await shot(page, 'interpolation');

    // 4. Feature visualization: unit 3, added to one image.
    await chooseView(page, 'feature-visualization');
    await pickImages(page, 1);
    await fill(page, 'Unit', '3');
    await fill(page, 'Top images', '4');
    await fill(page, 'Search the first', '200');
    await fill(page, 'Steps', '5');
    await runView(page, 'lab features');
    await shot(page, 'feature-visualization');

    // 5. Generation of two classes, super-resolution and in-painting.
    await chooseView(page, 'generation');
    await fill(page, 'Samples per class', '1');
    await fill(page, 'Steps', '5');
    await runView(page, 'lab generation');
    await shot(page, 'generation');
    await chooseView(page, 'super-resolution');
    await pickImages(page, 1);
    await fill(page, 'Steps', '5');
    await runView(page, 'lab super-resolution');
    await chooseView(page, 'inpainting');
    await pickImages(page, 1);
    await fill(page, 'Steps', '5');
    await runView(page, 'lab inpainting');
    await shot(page, 'inpainting');

    // 6. Counterfactual edit with the ε slider.
    await chooseView(page, 'counterfactual');
    await pickImages(page, 1);
    await page.getByLabel('Target class').selectOption({ index: 8 });
    await fill(page, 'Steps', '6');
    await runView(page, 'lab counterfactual');
    const slider = run.getByRole('slider').first();
    await slider.focus();
    await page.keyboard.press('Home');
    await shot(page, 'counterfactual');

    // Everything reopens after a reload, from the run list and from the gallery.
    await page.reload();
    await page.getByRole('tab', { name: 'Features lab' }).click();
    const runs = page.getByRole('table', { name: 'Features runs' });
    await expect(runs.getByText('completed')).toHaveCount(9);
    // Each saved view reopens with both models' panels and its table.
    for (const name of [
      'lab saliency',
      'lab inversion',
      'lab interpolation',
      'lab features',
      'lab generation',
      'lab super-resolution',
      'lab inpainting',
      'lab counterfactual',
    ]) {
      await runs.getByRole('button', { name, exact: true }).click();
      await expect(run.getByRole('table', { name: `${name}: figures` })).toBeVisible();
      await expect(run.getByRole('region', { name: /cnn-b/ }).first()).toBeVisible();
      await expect(run.locator('canvas').first()).toBeVisible();
    }

    await page.getByRole('tab', { name: 'Gallery' }).click();
    const cards = page.getByRole('list', { name: 'Saved results' });
    await expect(cards.getByRole('listitem')).toHaveCount(9);
    await page.getByLabel('View', { exact: true }).selectOption({ label: 'Saliency maps' });
    // The saliency run and its cascading randomization.
    await expect(cards.getByRole('listitem')).toHaveCount(2);
    const saliencyCard = () => cards.getByRole('listitem').filter({ hasText: 'lab saliency' });
    const card = saliencyCard();
    await card.getByLabel('Note').fill('speckled for both: neither model is robust');
    await card.getByRole('button', { name: 'Save note' }).click();
    await expect(card.getByText('saved', { exact: true })).toBeVisible();
    await shot(page, 'gallery');
    await page.reload();
    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByLabel('View', { exact: true }).selectOption({ label: 'Saliency maps' });
    await expect(saliencyCard().getByLabel('Note')).toHaveValue(
      'speckled for both: neither model is robust',
    );
    await page.getByRole('button', { name: 'Open lab saliency' }).click();
    await expect(page.getByRole('tab', { name: 'Features lab' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    // The colormap chosen for it before the reload is saved with the run.
    await expect(run.getByLabel('Colormap')).toHaveValue('viridis');

    // Compare: two saved views side by side, and the two models' table.
    await page.getByRole('tab', { name: 'Compare', exact: true }).click();
    await page.getByRole('tab', { name: 'Two runs' }).click();
    await selectByText(page.getByLabel('Left run'), /lab saliency/);
    await selectByText(page.getByLabel('Right run'), /lab inversion/);
    const left = page.getByRole('region', { name: 'Left result' });
    const right = page.getByRole('region', { name: 'Right result' });
    await expect(left.getByRole('region', { name: 'cnn-a' })).toBeVisible();
    await expect(right.getByRole('table', { name: 'lab inversion: figures' })).toBeVisible();
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByRole('checkbox', { name: /cnn-a/ }).check();
    await page.getByRole('checkbox', { name: /cnn-b/ }).check();
    await expect(
      page.getByRole('table', { name: 'Compared models' }).locator('thead th'),
    ).toHaveCount(3);
    await shot(page, 'compare-models');
  } finally {
    await page.close();
    await shell.stop();
  }
});
