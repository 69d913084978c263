import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ExecPluginRun {
  readonly start: number;
  readonly end: number;
  /** The KUBERNETES_EXEC_INFO the plugin was given. */
  readonly info: string | undefined;
}

/**
 * A credential exec plugin as kubectl runs them (a program printing an ExecCredential): its Nth
 * run prints the Nth status given (the last one again after that), after `delayMs`, and records
 * when it ran, so a test can count runs and see whether two overlapped.
 */
export function writeExecPlugin(dir: string, statuses: readonly Record<string, unknown>[], delayMs = 0): { command: string; args: string[]; runs(): ExecPluginRun[] } {
  const script = path.join(dir, `exec-plugin-${Math.random().toString(36).slice(2)}.js`);
  const statusFile = `${script}.statuses.json`;
  const runsFile = `${script}.runs`;
  fs.writeFileSync(statusFile, JSON.stringify(statuses));
  fs.writeFileSync(
    script,
    `const fs = require('fs');
const start = Date.now();
const statuses = JSON.parse(fs.readFileSync(${JSON.stringify(statusFile)}, 'utf8'));
const done = fs.existsSync(${JSON.stringify(runsFile)}) ? fs.readFileSync(${JSON.stringify(runsFile)}, 'utf8').split('\\n').filter(Boolean).length : 0;
setTimeout(() => {
  fs.appendFileSync(${JSON.stringify(runsFile)}, JSON.stringify({ start, end: Date.now(), info: process.env.KUBERNETES_EXEC_INFO }) + '\\n');
  const status = statuses[Math.min(done, statuses.length - 1)];
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
}, ${delayMs});
`,
  );
  return {
    command: process.execPath,
    args: [script],
    runs: () =>
      fs.existsSync(runsFile)
        ? fs
            .readFileSync(runsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as ExecPluginRun)
        : [],
  };
}
