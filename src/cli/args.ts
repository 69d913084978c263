/** A small argv parser: `--flag value` (repeatable) and boolean `--flag`. */
export class Args {
  private readonly values = new Map<string, string[]>();
  private readonly flags = new Set<string>();
  readonly positional: string[] = [];

  constructor(argv: readonly string[], booleanFlags: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--')) {
        this.positional.push(arg);
        continue;
      }
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (booleanFlags.includes(name)) {
        this.flags.add(name);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      this.values.set(name, [...(this.values.get(name) ?? []), value]);
    }
  }

  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  one(name: string): string | undefined {
    return this.all(name)[0];
  }

  number(name: string): number | undefined {
    const text = this.one(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number, got "${text}"`);
    return value;
  }

  has(flag: string): boolean {
    return this.flags.has(flag);
  }

  unknown(known: readonly string[]): string[] {
    return [...this.values.keys(), ...this.flags].filter((k) => !known.includes(k));
  }
}

export class UsageError extends Error {}
