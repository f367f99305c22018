/**
 * `{@attach titleWhenClipped(text)}` on an element styled with `text-overflow: ellipsis`: its
 * whole text as a tooltip while it is cut off, none while it shows whole (clipped-title.ts).
 * Whether it is cut depends on the window's width and on how the header wraps, so the check is
 * redone whenever the element's box changes size, and when the text changes (Svelte re-runs the
 * attachment then).
 */
import type { Attachment } from 'svelte/attachments';
import { updateClippedTitle } from './clipped-title';

export function titleWhenClipped(text: string): Attachment<HTMLElement> {
  return (element) => {
    updateClippedTitle(element, text);
    const observer = new ResizeObserver(() => updateClippedTitle(element, text));
    observer.observe(element);
    return () => observer.disconnect();
  };
}
