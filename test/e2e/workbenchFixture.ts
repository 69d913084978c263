import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Browser, Page } from 'playwright-core';
import {
  RunningProcess,
  Sandbox,
  TestTools,
  createSandbox,
  ensureTestTools,
  freePort,
  launchChromium,
  repoRoot,
  startProcess,
  waitForHttp,
} from '../support/vscodeServer';

export const outputDir = path.join(repoRoot, 'test-output');
export const extensionId = 'meshery-ide.meshery-vscode';

export interface Workbench {
  readonly page: Page;
  readonly sandbox: Sandbox;
  /** Where the installed extension keeps its database. */
  readonly globalStorage: string;
  stop(): Promise<void>;
}

let tools: TestTools | undefined;

function packagedVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const vsix = path.join(repoRoot, `${name}-${version}.vsix`);
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: the e2e suite runs after "npm run package"`);
  }
  return vsix;
}

/**
 * A real VS Code for one suite: code-server with the packaged .vsix installed (as a user
 * installs it), opened in Chromium. `prepare` runs before the server starts (to plant state).
 */
export async function startWorkbench(name: string, prepare?: (globalStorage: string, sandbox: Sandbox) => void): Promise<Workbench> {
  tools ??= ensureTestTools();
  const sandbox = createSandbox(`e2e-${name}`);
  const entry = path.join(tools.codeServer, 'out', 'node', 'entry.js');
  const common = ['--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData];
  execFileSync(tools.node24, [entry, ...common, '--install-extension', packagedVsix()], { env: sandbox.env, stdio: 'pipe' });
  const globalStorage = path.join(sandbox.userData, 'User', 'globalStorage', extensionId);
  fs.mkdirSync(globalStorage, { recursive: true });
  prepare?.(globalStorage, sandbox);

  const port = await freePort();
  let server: RunningProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = startProcess(
      tools.node24,
      [
        entry,
        ...common,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        sandbox.workspace,
      ],
      sandbox.env,
    );
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
    browser = await launchChromium(tools);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(sandbox.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const running = { server, browser };
    return {
      page,
      sandbox,
      globalStorage,
      stop: async () => {
        await running.browser.close();
        await running.server.stop();
        fs.mkdirSync(outputDir, { recursive: true });
        fs.writeFileSync(path.join(outputDir, `e2e-${name}-server.log`), running.server.output());
        fs.rmSync(sandbox.root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.stop();
    throw error;
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A workbench whose ~/.kube/config is the given kubeconfig (a simulated cluster's). */
export function startWorkbenchWithKubeconfig(name: string, kubeconfig: string): Promise<Workbench> {
  return startWorkbench(name, (_storage, sandbox) => {
    fs.mkdirSync(path.join(sandbox.home, '.kube'), { recursive: true });
    fs.copyFileSync(kubeconfig, path.join(sandbox.home, '.kube', 'config'));
  });
}
