import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MesheryWorkbench } from './pageObjects/mesheryWorkbench';
import { Workbench, screenshot, startWorkbench } from './workbenchFixture';

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
