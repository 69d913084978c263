import * as vscode from 'vscode';
import { DiscoveredFilter } from './discoveredFilter';

/**
 * How long after the input opens, or after the last keystroke, the tree's other changes wait so
 * that the next keystroke's answer is not held by VS Code behind them (see TreeChangeThrottle.quietFor).
 */
export const filterQuietMs = 2_000;

/**
 * Asks for the Discovered view's filter text and applies it as it is typed, so the tree answers
 * each keystroke; Enter keeps it. Closed otherwise (Escape, a click elsewhere), it puts back the
 * filter there was, as VS Code's own previews do (Go to Line, the color theme picker). While it
 * is open, `holdChanges` is told how long the tree's other changes should wait.
 */
export function editFilterText(filter: DiscoveredFilter, holdChanges: (ms: number) => void): Promise<void> {
  const before = filter.value.text;
  const input = vscode.window.createInputBox();
  input.title = 'Filter discovered objects';
  input.prompt = 'Text in the name, the namespace or a label (key=value), applied as you type; empty shows everything';
  input.value = before ?? '';
  return new Promise((resolve) => {
    let kept = false;
    const subscriptions = [
      input.onDidChangeValue((value) => {
        holdChanges(filterQuietMs);
        filter.update({ text: value });
      }),
      input.onDidAccept(() => {
        kept = true;
        filter.update({ text: input.value });
        input.hide();
      }),
      input.onDidHide(() => {
        if (!kept) filter.update({ text: before });
        holdChanges(0);
        subscriptions.forEach((s) => s.dispose());
        input.dispose();
        resolve();
      }),
    ];
    holdChanges(filterQuietMs);
    input.show();
  });
}
