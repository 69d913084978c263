import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * A simulated cluster of `objects` objects in its own process (so its memory and CPU are not
 * counted as ours), its kubeconfig written to `kubeconfig`; resolves once it serves.
 */
export function startSimProcess(objects: number, kubeconfig: string, options: { managedFields?: boolean } = {}): Promise<ChildProcess> {
  const main = path.resolve(__dirname, '..', 'simcluster', 'main.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', main, '--generate', String(objects), '--seed', '1', '--kubeconfig', kubeconfig, ...(options.managedFields === false ? ['--no-managed-fields'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`simulated cluster exited with ${code}`)));
  });
}
