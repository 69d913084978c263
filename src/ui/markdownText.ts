/**
 * Text from a cluster, a kubeconfig, a model file or a user, placed inside a Markdown tooltip.
 * A Service named "[click](https://…)" or a label "$(…)" must show as those characters, not as
 * a link, an icon or formatting: every Markdown and theme-icon character is escaped. No
 * `vscode` import, so it is unit-tested directly.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&:]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** Text as inline code: fenced with more backticks than it contains, so it cannot close the span early. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text.replace(/\r?\n/g, ' ')} ${fence}`;
}
