import * as vscode from 'vscode';

/** A command's handler, as vscode.commands.registerCommand takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;

/**
 * Where the handlers of the commands the activation shell already registered go (see
 * src/extension.ts): those commands exist from the first millisecond, so VS Code can run one that
 * activated the extension, and their handlers arrive once the services are up.
 */
export interface CommandHost {
  /** Takes the handler if the shell registered this command, else answers undefined. */
  take(id: string, handler: CommandHandler): vscode.Disposable | undefined;
}

let host: CommandHost | undefined;

/** Called once by the services before any command is registered; undefined when the services stop. */
export function routeCommandsThrough(commandHost: CommandHost | undefined): void {
  host = commandHost;
}

/** vscode.commands.registerCommand, through the shell for the commands it registered. */
export function registerCommand(id: string, handler: CommandHandler): vscode.Disposable {
  return host?.take(id, handler) ?? vscode.commands.registerCommand(id, handler);
}
