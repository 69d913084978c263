import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

/**
 * Entry point the extension host calls (extensionTestsPath): runs every *.test.js beside this
 * file. The workbench console is noisy, so mocha's report also goes to the file the runner
 * names in MESHERY_TEST_REPORT, which the runner prints.
 */
export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as typeof import('mocha');
  const reportFile = process.env.MESHERY_TEST_REPORT;
  if (reportFile) {
    const original = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      fs.appendFileSync(reportFile, format(...args) + '\n');
      original(...args);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) {
    throw new Error(`${failures} extension-host test(s) failed.`);
  }
}
