/**
 * Runs the mocha suites of test/integration inside the real VS Code extension host (the VS Code
 * server from code-server, opened in Chromium), what @vscode/test-electron does on machines that
 * can download VS Code. The extension under test is this repository (extensionDevelopmentPath).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { createSandbox, ensureTestTools, freePort, launchChromium, repoRoot, startProcess, waitForHttp } from '../support/vscodeServer';

const timeoutMs = 10 * 60_000;

async function main(): Promise<number> {
  const tools = ensureTestTools();
  const sandbox = createSandbox('integration');
  const outputDir = path.join(repoRoot, 'test-output');
  fs.mkdirSync(outputDir, { recursive: true });
  const reportFile = path.join(sandbox.root, 'report.txt');
  fs.writeFileSync(reportFile, '');
  const port = await freePort();
  const server = startProcess(
    tools.node24,
    [
      path.join(tools.codeServer, 'lib', 'vscode', 'out', 'server-main.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--enable-smoke-test-driver',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--server-data-dir',
      path.join(sandbox.root, 'server-data'),
      '--user-data-dir',
      sandbox.userData,
      '--extensions-dir',
      sandbox.extensions,
    ],
    { ...sandbox.env, MESHERY_TEST_SANDBOX: sandbox.root, MESHERY_TEST_REPORT: reportFile },
  );
  const workbenchLog = fs.createWriteStream(path.join(outputDir, 'integration-workbench.log'));
  const browser = await launchChromium(tools);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base, 60_000, server);
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(repoRoot, 'out', 'test', 'integration', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    const page = await browser.newPage();
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    // The workbench's own console (noisy) goes to a file; mocha's report is printed at the end.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      workbenchLog.write(`[${type}] ${format(...(Array.isArray(args) ? args : [args]))}\n`);
    });
    await page.goto(`${base}/?folder=${encodeURIComponent(remote(sandbox.workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        process.stderr.write(`Extension-host tests did not finish within ${timeoutMs / 60_000} minutes.\n${server.output()}\n`);
        resolve(1);
      }, timeoutMs).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    process.stdout.write(fs.readFileSync(reportFile, 'utf8'));
    if (code !== 0) {
      process.stderr.write(`Extension-host tests failed (exit ${code}); the workbench log is in test-output/integration-workbench.log\n`);
    }
    return code;
  } finally {
    workbenchLog.end();
    await browser.close();
    await server.stop();
    fs.writeFileSync(path.join(outputDir, 'integration-server.log'), server.output());
    fs.rmSync(sandbox.root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
