/** `--name value` from the script's command line, or the fallback when it is not given. */
export function option(name: string, fallback: string, args: readonly string[] = process.argv.slice(2)): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** The same, read as a number. */
export function numberOption(name: string, fallback: number, args?: readonly string[]): number {
  return Number(option(name, String(fallback), args));
}
