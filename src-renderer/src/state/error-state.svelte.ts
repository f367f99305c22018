/** Errors shown to the person at the screen, newest last, until dismissed. */
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
