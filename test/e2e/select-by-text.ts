/** Chooses the option of a <select> whose text matches (Playwright's selectOption wants it exact). */
import type { Locator } from '@playwright/test';

export async function selectByText(select: Locator, pattern: RegExp): Promise<void> {
  const options = await select.locator('option').evaluateAll((nodes) =>
    nodes.map((node) => ({
      value: node.getAttribute('value') ?? '',
      text: node.textContent ?? '',
    })),
  );
  const match = options.find((option) => pattern.test(option.text));
  if (!match) throw new Error(`no option matches ${String(pattern)}`);
  await select.selectOption(match.value);
}
