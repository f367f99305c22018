/**
 * Unsaved forms kept across a reload: one sessionStorage entry per project and tab. sessionStorage
 * belongs to the browser tab (two tabs keep their own forms) and dies with it; a form is saved
 * when the page goes away and put back once the project, tab and run are open again, so what
 * the person typed wins over the settings of the run that was reopened.
 */
import { restoreForm, snapshotForm, type FormSnapshot } from '../lib/form-snapshot';

/** The part of sessionStorage used (declared here: unit tests type-check without the DOM). */
export interface FormStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class FormMemory {
  constructor(private readonly storage: FormStore) {}

  #key(project: string, tab: string): string {
    return `rfw-form:${project}:${tab}`;
  }

  save(project: string, forms: Record<string, object>): void {
    for (const [tab, form] of Object.entries(forms)) {
      try {
        this.storage.setItem(this.#key(project, tab), JSON.stringify(snapshotForm(form)));
      } catch {
        // Storage full or disabled: the form is simply not kept (a reload then resets it).
      }
    }
  }

  restore(project: string, forms: Record<string, object>): void {
    for (const [tab, form] of Object.entries(forms)) {
      const text = this.storage.getItem(this.#key(project, tab));
      if (text === null) continue;
      try {
        const snapshot = JSON.parse(text) as unknown;
        if (typeof snapshot === 'object' && snapshot !== null)
          restoreForm(form, snapshot as FormSnapshot);
      } catch {
        // An entry from another version of the page that does not parse: forget it.
        this.storage.removeItem(this.#key(project, tab));
      }
    }
  }
}
