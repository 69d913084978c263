/** Columns padded to their widest cell, for people; --json is for scripts. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

/** What a command prints: `json` with --json (for scripts), else `text` (for people). */
export interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
}
