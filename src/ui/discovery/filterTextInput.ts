import * as vscode from 'vscode';
import { DiscoveredFilter } from './discoveredFilter';

/**
 * Asks for the Discovered view's filter text and applies it as it is typed, so the tree answers
 * each keystroke; Enter keeps it. Closed otherwise (Escape, a click elsewhere), it puts back the
 * filter there was, as VS Code's own previews do (Go to Line, the color theme picker).
 */
export function editFilterText(filter: DiscoveredFilter): Promise<void> {
  const before = filter.value.text;
  const input = vscode.window.createInputBox();
  input.title = 'Filter discovered objects';
  input.prompt = 'Text in the name, the namespace or a label (key=value), applied as you type; empty shows everything';
  input.value = before ?? '';
  return new Promise((resolve) => {
    let kept = false;
    const subscriptions = [
      input.onDidChangeValue((value) => filter.update({ text: value })),
      input.onDidAccept(() => {
        kept = true;
        filter.update({ text: input.value });
        input.hide();
      }),
      input.onDidHide(() => {
        if (!kept) filter.update({ text: before });
        subscriptions.forEach((s) => s.dispose());
        input.dispose();
        resolve();
      }),
    ];
    input.show();
  });
}
