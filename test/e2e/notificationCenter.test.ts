import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Locator } from 'playwright-core';
import { MesheryWorkbench } from './pageObjects/mesheryWorkbench';
import { Workbench, screenshot, startWorkbench } from './workbenchFixture';

/** The first line of the open report that holds this text (found, so drawn, by the editor's Find). */
async function reportLine(workbench: Workbench, editor: Locator, text: string): Promise<string> {
  await editor.click();
  await workbench.page.keyboard.press('Control+f');
  await workbench.page.keyboard.press('Control+a');
  await workbench.page.keyboard.type(text);
  await workbench.page.keyboard.press('Enter');
  await workbench.page.keyboard.press('Escape');
  const row = editor.locator('.view-line', { hasText: text.replace(/^\| | \|$/g, '') }).first();
  await row.waitFor({ timeout: 15_000 });
  return ((await row.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

describe('Meshery in VS Code (packaged .vsix, Chromium)', function () {
  this.timeout(240_000);

  describe('a new user', () => {
    let workbench: Workbench;
    let ui: MesheryWorkbench;
    before(async () => {
      workbench = await startWorkbench('new-user');
      ui = new MesheryWorkbench(workbench.page);
    });
    after(async () => workbench?.stop());

    it('finds the Meshery container with its views and the welcome guidance', async () => {
      await ui.openMesheryContainer();
      await ui.viewHeader('Discovered').waitFor();
      await ui.viewBody('Discovered').getByText('No kubeconfig was found').waitFor();
      await ui.viewBody('Discovered').getByRole('button', { name: 'Choose Kubeconfig File' }).waitFor();
      await ui.viewBody('Notification Center').getByText('No events yet').waitFor();
      await screenshot(workbench.page, 'e2e-welcome');
    });

    it('sees an event appear, with the unread badge, after running a command from the palette', async () => {
      await ui.runCommand('Meshery: Compact Database');
      const row = ui.notificationRows().filter({ hasText: 'Database compacted' });
      await row.waitFor({ timeout: 30_000 });
      await ui.activityBadge().filter({ hasText: '1' }).waitFor({ timeout: 15_000 });
      await screenshot(workbench.page, 'e2e-notification-center');

      // Marking everything read clears the badge.
      await ui.runCommand('Meshery: Mark All Events as Read');
      await ui.activityBadge().waitFor({ state: 'hidden', timeout: 15_000 });
    });

    it('writes what happens to the Meshery log channel', async () => {
      await ui.runCommand('Meshery: Show Log');
      const activated = workbench.page.locator('.view-lines', { hasText: 'Meshery activated in' });
      await activated.waitFor({ timeout: 15_000 }).catch(async (error) => {
        await screenshot(workbench.page, 'e2e-log-missing');
        throw error;
      });
      const text = (await activated.textContent()) ?? '';
      const ms = /Meshery activated in (\d+) ms/.exec(text.replace(/\u00a0/g, ' '))?.[1];
      console.log(`      activation (from the Meshery log): ${ms} ms`);
      assert.ok(ms, 'the log names the activation time');
    });

    it("is listed with its activation times in VS Code's own Startup Performance report", async () => {
      // The report is a snapshot taken when it opens: Meshery must be up by then.
      await ui.openMesheryContainer();
      await ui.viewBody('Discovered').getByText('No kubeconfig was found').waitFor({ timeout: 30_000 });
      await ui.runCommand('Developer: Startup Performance');
      const editor = workbench.page.locator('.editor-instance .monaco-editor').first();
      await editor.locator('.view-lines', { hasText: 'System Info' }).waitFor({ timeout: 30_000 });
      // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
      const stats = (await reportLine(workbench, editor, '| meshery-ide.meshery-vscode |')).split('|').map((cell) => cell.trim());
      const [loadCode, callActivate, finishActivate] = stats.slice(3, 6).map(Number);
      // Name Timestamp Delta Total: this mark's delta is the require of our main module alone (the rest
      // of "Load Code" is VS Code fetching the extension's translations from the window).
      const requireMs = Number((await reportLine(workbench, editor, 'didLoadExtensionCode/meshery-ide.meshery-vscode')).trim().split(/\s+/)[2]);
      await screenshot(workbench.page, 'e2e-startup-performance');
      console.log(
        `      VS Code's measure: load code ${loadCode} ms (of which the require of dist/extension.js ${requireMs} ms), ` +
          `call activate ${callActivate} ms, finish activate ${finishActivate} ms (${stats[6]})`,
      );
      assert.ok([loadCode, callActivate, finishActivate, requireMs].every(Number.isFinite), `the row reads ${stats.join(' | ')}`);
    });
  });

  describe('a user whose database file is corrupt', () => {
    let workbench: Workbench;
    let ui: MesheryWorkbench;
    const garbage = Buffer.from('definitely not sqlite\n'.repeat(100));
    before(async () => {
      workbench = await startWorkbench('corrupt-db', (storage) => fs.writeFileSync(path.join(storage, 'meshery.db'), garbage));
      ui = new MesheryWorkbench(workbench.page);
    });
    after(async () => workbench?.stop());

    it('is told in a notification, can reveal the event, and the file is kept', async () => {
      const toast = ui.toast('could not be read');
      await toast.waitFor({ timeout: 60_000 });
      await screenshot(workbench.page, 'e2e-corrupt-database-toast');
      await toast.getByRole('button', { name: 'Show Event' }).click();
      await ui.viewBody('Notification Center').locator('.monaco-list-row.selected', { hasText: 'could not be read' }).waitFor({ timeout: 15_000 });
      await workbench.page.locator('.tab', { hasText: '.json' }).first().waitFor({ timeout: 15_000 });

      const kept = fs.readdirSync(workbench.globalStorage).filter((f) => f.startsWith('meshery.db.corrupt-'));
      assert.equal(kept.length, 1);
      assert.deepEqual(fs.readFileSync(path.join(workbench.globalStorage, kept[0])), garbage);
      await screenshot(workbench.page, 'e2e-corrupt-database-event');
    });
  });
});
