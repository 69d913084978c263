/** A small argv parser: `--flag value` (repeatable) and boolean `--flag`. */
export class Args {
  private readonly values = new Map<string, string[]>();
  private readonly flags = new Set<string>();
  /** Options given without their value: an error once the command says which options it takes. */
  private readonly valueless = new Set<string>();
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
      // An option followed by another option has no value: "--colour --db x" must not read "--db" as the colour.
      const value = inline ?? (argv[i + 1]?.startsWith('--') ? undefined : argv[++i]);
      if (value === undefined) {
        this.valueless.add(name);
        continue;
      }
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

  /** A timeout: 0 would mean "wait forever" to the code below, so it is refused. */
  positiveNumber(name: string): number | undefined {
    const value = this.number(name);
    if (value === 0) throw new UsageError(`--${name} must be greater than 0`);
    return value;
  }

  /** Refuses options and positional arguments this command does not take (a typo must not be ignored). */
  expectOnly(known: readonly string[], positional: number): void {
    const unknown = this.unknown(known);
    if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}`);
    if (this.positional.length > positional) throw new UsageError(`unexpected argument "${this.positional[positional]}"`);
    const [valueless] = this.valueless;
    if (valueless) throw new UsageError(`--${valueless} needs a value`);
  }

  has(flag: string): boolean {
    return this.flags.has(flag);
  }

  unknown(known: readonly string[]): string[] {
    return [...this.values.keys(), ...this.flags, ...this.valueless].filter((k) => !known.includes(k));
  }
}

/** Bad input: exit 2. */
export class UsageError extends Error {}

/** The request was understood and refused (a transition the status machine does not allow, a failed test): exit 1. */
export class RefusedError extends Error {}
