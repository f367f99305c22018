/**
 * What the screen says must be true, continued (issue 12 §19–§21): a refused start is explained
 * under the field that caused it, in the user's words, and the banner does not outlive its tab;
 * a reload reopens the tab, the run and the form as typed; a stopped server, and a restarted one
 * that refuses the old page, are said plainly, and the old address reopens the screen in the new
 * launch. Screenshots land in test-results/screenshots/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startShell, type RunningShell } from './browser-shell-process';
import { fill, jobTimeout, trainTinyModel } from './ui-steps';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join('test-results/screenshots', `${name}.png`), fullPage: true });

test.describe('the screen as it was', () => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-e2e-state-'));
  let shell: RunningShell;
  test.beforeAll(async () => {
    shell = await startShell(home);
  });
  test.afterAll(async () => {
    await shell.stop();
  });

  test('field errors, reload, stopped and restarted server', async ({ page }) => {
    await page.goto(shell.url);
    await page.getByRole('button', { name: 'Open demo project' }).click();
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    const banner = page.getByRole('alert', { name: 'Errors' });

    // §21: ε = −1 on the Train tab is refused under the ε field, in the user's words.
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Robust (PGD adversarial training)').check();
    await fill(page, 'ε (epsilon)', '-1');
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.locator('#train-adv-epsilon + .field-error')).toHaveText(
      'ε must be greater than 0',
    );
    await expect(banner).toHaveCount(0);
    await expect(page.getByText('jobs.startTraining')).toHaveCount(0);
    await shot(page, 'state-01-train-field-error');
    await fill(page, 'ε (epsilon)', '0.3');

    await trainTinyModel(page, 'state-cnn', '1');

    // §21: the same on the Attack tab; an error of no field goes to the banner, which clears
    // when the person moves to another tab.
    await page.getByRole('tab', { name: 'Attack' }).click();
    await fill(page, 'ε (epsilon)', '-1');
    await page.getByRole('button', { name: 'Start attack' }).click();
    await expect(page.locator('#attack-epsilon + .field-error')).toHaveText(
      'ε must be greater than 0',
    );
    await expect(banner).toHaveCount(0);
    await page.setViewportSize({ width: 1024, height: 800 });
    await shot(page, 'state-02-attack-field-error-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await fill(page, 'ε (epsilon)', '0.05');
    await page.getByLabel('Test images at positions').check();
    await fill(page, 'Image indices', '0, x');
    await page.getByRole('button', { name: 'Start attack' }).click();
    await expect(page.locator('.field-error[data-field="indices"]')).toContainText('“x”');
    await expect(page.locator('#attack-epsilon + .field-error')).toHaveCount(0);
    await fill(page, 'Image indices', '99999');
    await page.getByRole('button', { name: 'Start attack' }).click();
    await expect(banner).toContainText('there is no test image 99999');
    await expect(banner).not.toContainText('jobs.');
    await page.getByRole('tab', { name: 'Dataset' }).click();
    await expect(banner).toHaveCount(0);

    // §19: a reload reopens the tab, the run and the form as it was typed.
    await page.getByRole('tab', { name: 'Attack' }).click();
    await fill(page, 'Image indices', '0, 1');
    await fill(page, 'Steps', '3');
    await fill(page, 'Step size', '0.02');
    await page.getByRole('button', { name: 'Start attack' }).click();
    const results = page.getByRole('region', { name: 'Attack results' });
    await expect(results).toBeVisible({ timeout: jobTimeout });
    await expect(page).toHaveURL(/#\/project=[^&]+&tab=attack&run=\d+$/);
    const link = new URL(page.url()).hash;
    await fill(page, 'ε (epsilon)', '0.07');
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Attack' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(results).toBeVisible();
    await expect(page.getByLabel('ε (epsilon)', { exact: true })).toHaveValue('0.07');
    await expect(page.getByLabel('Image indices')).toHaveValue('0, 1');
    expect(new URL(page.url()).hash).toBe(link);
    await shot(page, 'state-03-after-reload');

    // §20: the server stops: the page says so, with the address, and how to get back.
    const port = new URL(shell.url).port;
    await shell.stop();
    const lost = page.getByRole('alert', { name: 'Workbench unreachable' });
    await expect(lost).toContainText(
      `The workbench stopped — its server at 127.0.0.1:${port} no longer answers.`,
    );
    await expect(lost).toContainText('npm start');
    await shot(page, 'state-04-server-stopped');

    // A new launch on the same port refuses the old token: the page stops retrying and says why.
    shell = await startShell(home, ['--port', port]);
    await expect(lost).toContainText('started again', { timeout: 30_000 });
    await expect(lost).toContainText(link);
    await shot(page, 'state-05-new-launch');

    // §19: the new address plus the old place reopens project, tab and run in the new launch.
    await page.goto(`${shell.url}${link}`);
    await expect(page.getByLabel('Current project')).toContainText('Demo project');
    await expect(page.getByRole('tab', { name: 'Attack' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(results).toBeVisible();
  });
});
