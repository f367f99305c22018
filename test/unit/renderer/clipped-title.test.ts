import { describe, expect, it } from 'vitest';
import {
  updateClippedTitle,
  type ClippableElement,
} from '../../../src-renderer/src/lib/clipped-title';

/** An element whose text needs `scrollWidth` pixels in a box `clientWidth` wide. */
function element(scrollWidth: number, clientWidth: number, title = ''): ClippableElement {
  return {
    scrollWidth,
    clientWidth,
    title,
    removeAttribute() {
      this.title = '';
    },
  };
}

describe('updateClippedTitle', () => {
  it('gives cut-off text its whole text as a title', () => {
    const name = element(240, 120);
    expect(updateClippedTitle(name, 'A long project name')).toBe(true);
    expect(name.title).toBe('A long project name');
  });

  it('gives text shown whole no title, and clears one left from a narrower window', () => {
    const name = element(90, 120, 'Demo project');
    expect(updateClippedTitle(name, 'Demo project')).toBe(false);
    expect(name.title).toBe('');
  });
});
