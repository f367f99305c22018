/** A small `--name value` / `--flag` parser for the CLI; unknown options are an error, not ignored. */
export class CliArguments {
  private readonly values = new Map<string, string | true>();
  private readonly used = new Set<string>();

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i += 1) {
      const token = argv[i] as string;
      if (!token.startsWith('--')) throw new Error(`unexpected argument "${token}"`);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        this.values.set(token.slice(2), true);
      } else {
        this.values.set(token.slice(2), next);
        i += 1;
      }
    }
  }

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    this.used.add(name);
    const value = this.values.get(name);
    if (value === true) throw new Error(`--${name} needs a value`);
    return value ?? fallback;
  }

  number(name: string, fallback: number): number;
  number(name: string): number | undefined;
  number(name: string, fallback?: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value))
      throw new Error(`--${name} must be a number (got "${text}")`);
    return value;
  }

  flag(name: string): boolean {
    this.used.add(name);
    return this.values.get(name) === true;
  }

  /** Call after reading every option: anything left over was a typo. */
  rejectUnknown(): void {
    const unknown = [...this.values.keys()].filter((name) => !this.used.has(name));
    if (unknown.length > 0)
      throw new Error(
        `unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `--${n}`).join(', ')}`,
      );
  }
}
