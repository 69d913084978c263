import * as vscode from 'vscode';
import type { StartedServices } from './services';
import type { MesheryExtension } from './ui/api';
import { DeferredCommands } from './ui/deferredCommands';

/**
 * The activation shell: all VS Code waits for at startup. It registers the contributed commands
 * and returns; the services (sql.js, the database, the registry, the views: most of the code,
 * in dist/services.js) load right after, so no other extension waits for them.
 */
let starting: Promise<StartedServices> | undefined;

export function activate(context: vscode.ExtensionContext): MesheryExtension {
  const activationStarted = performance.now();
  const contributes = (context.extension.packageJSON as PackageJson).contributes;
  const commands = new DeferredCommands(contributes.commands.map((command) => command.command));
  context.subscriptions.push(commands);
  const activationMs = Math.round(performance.now() - activationStarted);
  starting = startAfterActivation(context, { commands, activationStarted, activationMs });
  const ready = starting.then((services) => services.api);
  ready.catch(() => undefined);
  // Each view shows VS Code's progress bar (and its "Meshery is starting…" welcome) until then.
  for (const viewId of Object.values(contributes.views).flat().map((view) => view.id)) {
    void vscode.window.withProgress({ location: { viewId } }, () => ready.catch(() => undefined));
  }
  return { activationMs, ready };
}

async function startAfterActivation(context: vscode.ExtensionContext, shell: { commands: DeferredCommands; activationStarted: number; activationMs: number }): Promise<StartedServices> {
  // A macrotask later, activate() has returned and VS Code has timed it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    // package.json says "type": "commonjs": without it Node scans this 780 KB bundle for module
    // syntax before loading it (20 ms of the extension host's thread).
    const { startServices } = await import('./services');
    const services = await startServices(context, shell);
    shell.commands.settle();
    const unhandled = shell.commands.unhandled();
    if (unhandled.length) {
      services.api.events.record({ category: 'extension', action: 'activate', severity: 'error', description: `Meshery has no handler for these commands of its own: ${unhandled.join(', ')}.` });
    }
    return services;
  } catch (error) {
    const failure = new Error(`Meshery could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    shell.commands.settle(failure);
    void vscode.window.showErrorMessage(failure.message);
    throw failure;
  }
}

/** The parts of our package.json the shell reads. */
interface PackageJson {
  readonly contributes: { readonly commands: { readonly command: string }[]; readonly views: Record<string, { readonly id: string }[]> };
}

/** VS Code waits for this promise: the last writes reach the disk before the window closes. */
export async function deactivate(): Promise<void> {
  const services = await starting?.catch(() => undefined);
  starting = undefined;
  await services?.shutdown();
}
