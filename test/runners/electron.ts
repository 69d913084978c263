/**
 * The same extension-host suite on desktop VS Code, through @vscode/test-electron, for machines
 * that can download VS Code (a contributor's laptop, public CI). This workplace cannot download
 * VS Code: `npm run test:integration` runs the suite in code-server's VS Code server instead.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../support/vscodeServer';

runTests({
  extensionDevelopmentPath: repoRoot,
  extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
  launchArgs: ['--disable-extensions'],
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
