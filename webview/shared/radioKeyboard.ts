/**
 * vscode-radio-group checks the next radio on an arrow key without a `change` event (only a click
 * or Space sends one), so a keyboard user's choice would not reach the form. After an arrow key in
 * a group, the newly checked radio sends the `change` its click would have sent.
 */
export function announceArrowSelections(root: Document): void {
  const checkedIn = (group: Element) => [...group.querySelectorAll('vscode-radio')].find((r) => (r as unknown as { checked: boolean }).checked);
  let before: Element | undefined;
  root.addEventListener(
    'keydown',
    (event) => {
      const group = (event.target as Element | null)?.closest?.('vscode-radio-group');
      before = group && event.key.startsWith('Arrow') ? checkedIn(group) : undefined;
    },
    true,
  );
  root.addEventListener('keyup', (event) => {
    const group = (event.target as Element | null)?.closest?.('vscode-radio-group');
    if (!group || !event.key.startsWith('Arrow')) return;
    const now = checkedIn(group);
    if (now && now !== before) now.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
