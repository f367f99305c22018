/**
 * The messages shown under a form's fields after the workbench (or the form itself) refused what
 * it was given. Fields register the input path they fill while they are on screen (FieldError
 * does this), so a problem with a field the form does not show at the moment falls through to
 * the banner instead of disappearing.
 */
import { issuesOf, placeIssues } from '../lib/field-issues';

export class FieldErrors {
  #messages = $state.raw<Record<string, string>>({});
  /** Not reactive: read only when an error arrives. A count per key: two views may mount one. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #shown = new Map<string, number>();

  /** The message for the field that fills `path`, if any. */
  message(path: string): string | undefined {
    return this.#messages[path];
  }
  get any(): boolean {
    return Object.keys(this.#messages).length > 0;
  }

  /** A field is on screen; the function returned takes it off. */
  register(path: string): () => void {
    this.#shown.set(path, (this.#shown.get(path) ?? 0) + 1);
    return () => {
      const count = (this.#shown.get(path) ?? 1) - 1;
      if (count > 0) this.#shown.set(path, count);
      else this.#shown.delete(path);
    };
  }

  /**
   * Shows an error's issues at their fields. Returns what is left for the banner: the messages
   * no field took, joined (in the user's words), the error itself when it has no issues, or
   * null when every problem is shown at a field. `prefix`: see placeIssues.
   */
  report(error: unknown, prefix = ''): string | null {
    const issues = issuesOf(error);
    if (issues.length === 0) {
      this.#messages = {};
      return error instanceof Error ? error.message : String(error);
    }
    const placed = placeIssues(issues, this.#shown.keys(), prefix);
    this.#messages = placed.atFields;
    return placed.elsewhere.length > 0 ? placed.elsewhere.join('; ') : null;
  }

  clear(): void {
    if (this.any) this.#messages = {};
  }
}
