/**
 * Errors that belong to no field, shown in the banner, newest last, until dismissed or until the
 * person moves on (another tab, another start): a banner that outlives its cause misleads.
 */
export interface ShownError {
  id: number;
  /** What the workbench was doing, e.g. "Start training". */
  context: string;
  message: string;
}

export class ErrorState {
  #items = $state.raw<ShownError[]>([]);
  #nextId = 1;

  get items(): readonly ShownError[] {
    return this.#items;
  }

  report(context: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#items = [...this.#items, { id: this.#nextId++, context, message }].slice(-5);
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((item) => item.id !== id);
  }

  clear(): void {
    this.#items = [];
  }
}
