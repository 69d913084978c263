import * as vscode from 'vscode';
import type { CommandHandler, CommandHost } from './commandRoute';

/**
 * Registers every command the extension contributes at activation, before the services exist:
 * VS Code runs a command that activated the extension as soon as activate() returns, and fails
 * with "command not found" if it is not registered by then. A command run early waits for its
 * handler; if the services could not start, it says why.
 */
export class DeferredCommands implements CommandHost, vscode.Disposable {
  private readonly ids: ReadonlySet<string>;
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly registrations: vscode.Disposable[];
  private readonly started: Promise<void>;
  private startedOrFailed!: (failure?: Error) => void;

  constructor(ids: readonly string[]) {
    this.ids = new Set(ids);
    this.started = new Promise<void>((resolve, reject) => {
      this.startedOrFailed = (failure) => (failure ? reject(failure) : resolve());
    });
    // A failure is reported where it happens; unobserved here, it must not count as unhandled.
    this.started.catch(() => undefined);
    this.registrations = [...this.ids].map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, args)));
  }

  take(id: string, handler: CommandHandler): vscode.Disposable | undefined {
    if (!this.ids.has(id) || !this.registrations.length) return undefined;
    this.handlers.set(id, handler);
    return new vscode.Disposable(() => {
      if (this.handlers.get(id) === handler) this.handlers.delete(id);
    });
  }

  /** The services are up (every handler taken), or could not start. */
  settle(failure?: Error): void {
    this.startedOrFailed(failure);
  }

  /** Contributed commands nobody gave a handler (a mistake of ours: running them fails). */
  unhandled(): string[] {
    return [...this.ids].filter((id) => !this.handlers.has(id));
  }

  dispose(): void {
    for (const registration of this.registrations.splice(0)) registration.dispose();
    this.handlers.clear();
  }

  private async run(id: string, args: unknown[]): Promise<unknown> {
    await this.started;
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`Meshery has no handler for the command ${id}.`);
    return handler(...args);
  }
}
