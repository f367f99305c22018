/**
 * What a thrown value says, for the person at the screen. `String(value)` itself throws for an
 * object without a prototype, so even that is caught.
 */
export function thrownMessage(value: unknown): string {
  try {
    return value instanceof Error ? String(value.message) : String(value);
  } catch {
    return 'an error that cannot be described (see the workbench log)';
  }
}
