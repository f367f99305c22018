/**
 * Whether text that CSS cuts off with an ellipsis needs a tooltip: only when it is cut, since a
 * title repeating what is already readable only gets in the way. No DOM types, so that it runs
 * in Node tests; title-when-clipped.ts calls it from the page.
 */

/** The parts of an element the check reads and writes (an HTMLElement in the app). */
export interface ClippableElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  title: string;
  removeAttribute(name: 'title'): void;
}

/** Sets or clears the title; true when the text is cut off. */
export function updateClippedTitle(element: ClippableElement, text: string): boolean {
  const clipped = element.scrollWidth > element.clientWidth;
  if (clipped) element.title = text;
  else element.removeAttribute('title');
  return clipped;
}
