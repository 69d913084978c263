/**
 * Starts the real VS Code on this machine: the VS Code server bundled in the npm package
 * code-server (run by Node 24), driven by Debian's Chromium through playwright-core.
 * Every process gets private HOME/XDG/user-data folders, binds to 127.0.0.1 only, and is
 * stopped by its process group.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface TestTools {
  readonly node24: string;
  readonly codeServer: string;
  readonly chromium: string;
}

/** Runs the project's setup script (idempotent, cached) and reads the tool locations it prints. */
export function ensureTestTools(): TestTools {
  const out = execFileSync('bash', [path.join(repoRoot, 'scripts', 'setup-test-env.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { node24: vars.MESHERY_NODE24, codeServer: vars.MESHERY_CODE_SERVER, chromium: vars.MESHERY_CHROMIUM };
}

export interface Sandbox {
  readonly root: string;
  readonly home: string;
  readonly userData: string;
  readonly extensions: string;
  readonly workspace: string;
  readonly env: NodeJS.ProcessEnv;
}

export function createSandbox(name: string): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `meshery-${name}-`));
  const dirs = {
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
  };
  Object.values(dirs).forEach((d) => fs.mkdirSync(d, { recursive: true }));
  fs.writeFileSync(path.join(dirs.workspace, 'README.md'), '# Meshery test workspace\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    // No kubeconfig leaks in from the machine running the tests.
    KUBECONFIG: path.join(dirs.home, '.kube', 'config'),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  return { root, ...dirs, env };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts a process in its own group so that stop() also ends everything it spawned. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): RunningProcess {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) {
      output = output.slice(-100_000);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitForHttp(url: string, timeoutMs: number, running?: RunningProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (running && running.child.exitCode !== null) {
      throw new Error(`server exited with ${running.child.exitCode} before listening:\n${running.output()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within ${timeoutMs} ms${running ? `:\n${running.output()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function launchChromium(tools: TestTools): Promise<Browser> {
  return chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
