import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mesheryApi as api } from './mesheryApi';


async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Meshery in the real extension host', () => {
  it('activates and keeps its database in the extension global storage', async () => {
    const { store, activationMs, readyMs, events } = await api();
    assert.ok(Number.isFinite(activationMs) && activationMs >= 0 && readyMs >= activationMs, `activation ${activationMs} ms, ready ${readyMs} ms`);
    assert.ok(store.path, 'the database is persisted to a file');
    assert.match(store.path, /globalStorage/);
    await store.flush();
    assert.ok(fs.existsSync(store.path));
    assert.equal(events.query({ categories: ['extension'], actions: ['activate'] }).length >= 1, true, 'activation left an event');
  });

  it('contributes the Meshery views and their commands, each with its handler', async () => {
    const { events } = await api();
    assert.deepEqual(events.query({ categories: ['extension'], actions: ['activate'], severities: ['error'] }).map((e) => e.description), []);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['meshery.events.markAllRead', 'meshery.events.clear', 'meshery.events.filterSeverity', 'meshery.store.compact', 'meshery.kubeconfig.choose']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
    await vscode.commands.executeCommand('meshery.notificationCenter.focus');
    await vscode.commands.executeCommand('meshery.discovered.focus');
  });

  it('records an event for a command and marks everything read', async () => {
    const { events } = await api();
    await vscode.commands.executeCommand('meshery.store.compact');
    const [compacted] = events.query({ categories: ['database'], actions: ['compact'] });
    assert.ok(compacted, 'compacting left an event');
    assert.equal(compacted.severity, 'success');
    assert.equal(compacted.status, 'unread');
    assert.ok(events.unreadCount() > 0);
    await vscode.commands.executeCommand('meshery.events.markAllRead');
    assert.equal(events.unreadCount({ severities: ['success'] }), 0);
  });

  it('opens an event as a read-only JSON document and marks it read', async () => {
    const { events } = await api();
    const event = events.record({ category: 'test', action: 'show', severity: 'warning', description: 'Look at me' });
    await vscode.commands.executeCommand('meshery.events.show', event.id);
    await until(() => vscode.window.activeTextEditor?.document.uri.scheme === 'meshery-event', 'the event document');
    const document = vscode.window.activeTextEditor!.document;
    const shown = JSON.parse(document.getText());
    assert.equal(shown.id, event.id);
    assert.equal(shown.description, 'Look at me');
    assert.equal(events.get(event.id)?.status, 'read');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('clears only what the severity and text filters show', async () => {
    const { events } = await api();
    events.record({ category: 'test', action: 'filter', severity: 'error', description: 'alpha failure' });
    events.record({ category: 'test', action: 'filter', severity: 'error', description: 'beta failure' });
    events.record({ category: 'test', action: 'filter', severity: 'informational', description: 'alpha note' });

    await vscode.commands.executeCommand('meshery.events.filterSeverity', ['error']);
    await vscode.commands.executeCommand('meshery.events.search', 'alpha');
    const removed = await vscode.commands.executeCommand<number>('meshery.events.clear', { confirm: false });
    assert.equal(removed, 1);
    assert.deepEqual(
      events.query({ categories: ['test'], actions: ['filter'] }).map((e) => e.description).sort(),
      ['alpha note', 'beta failure'],
    );
    await vscode.commands.executeCommand('meshery.events.clearFilter');
  });

  it('filters by action, by the object acted upon and by read state; marks all shown unread', async () => {
    const { events } = await api();
    const a = events.record({ category: 'test', action: 'probe', severity: 'warning', actedUpon: 'object-a', description: 'a probed' });
    const b = events.record({ category: 'test', action: 'poke', severity: 'warning', actedUpon: 'object-b', description: 'b poked' });
    events.setStatus([a.id, b.id], 'read');
    await vscode.commands.executeCommand('meshery.events.filterAction', ['probe']);
    await vscode.commands.executeCommand('meshery.events.markAllUnread');
    assert.deepEqual([events.get(a.id)?.status, events.get(b.id)?.status], ['unread', 'read'], 'only what the action filter shows');
    await vscode.commands.executeCommand('meshery.events.clearFilter');
    await vscode.commands.executeCommand('meshery.events.filterActedUpon', 'object-b');
    await vscode.commands.executeCommand('meshery.events.showReadOnly');
    const removed = await vscode.commands.executeCommand<number>('meshery.events.clear', { confirm: false });
    assert.equal(removed, 1, 'read events of object-b only');
    assert.equal(events.get(b.id), undefined);
    assert.ok(events.get(a.id));
    await vscode.commands.executeCommand('meshery.events.clearFilter');
  });

  it("shows one operation's events together, whatever filter was on", async () => {
    const { events } = await api();
    const operationId = 'op-together-1';
    const first = events.record({ category: 'connection', action: 'register', severity: 'informational', operationId, description: 'x: discovered → registered' });
    events.record({ category: 'connection', action: 'test', severity: 'success', operationId, description: 'x: reached' });
    events.record({ category: 'connection', action: 'status', severity: 'debug', operationId, description: 'x: registered → connected' });
    const other = events.record({ category: 'connection', action: 'test', severity: 'success', description: 'y: reached' });
    await vscode.commands.executeCommand('meshery.events.filterAction', ['register']);
    await vscode.commands.executeCommand('meshery.events.showOperation', first.id);
    const removed = await vscode.commands.executeCommand<number>('meshery.events.clear', { confirm: false });
    assert.equal(removed, 3, 'the three events of the operation, the debug one included');
    assert.ok(events.get(other.id));
    await vscode.commands.executeCommand('meshery.events.clearFilter');
  });

  it('does not let a workspace choose the kubeconfig (its exec plugins run), model files or CA to trust', async () => {
    const config = vscode.workspace.getConfiguration('meshery');
    for (const [key, value] of [['kubeconfig.paths', ['/tmp/evil-kubeconfig']], ['registry.importPaths', ['/tmp/evil-models']], ['connectivity.caFile', '/tmp/evil-ca.pem']] as const) {
      await assert.rejects(Promise.resolve(config.update(key, value, vscode.ConfigurationTarget.Workspace)), /machine|workspace/i, `${key} is refused in the workspace`);
      assert.equal(config.inspect(key)?.workspaceValue, undefined);
    }
    // An ordinary setting can be a workspace's: the refusal above is the settings' scope.
    await config.update('events.showDebug', true, vscode.ConfigurationTarget.Workspace);
    await config.update('events.showDebug', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('applies the retention setting to the stored events', async () => {
    const { events } = await api();
    const config = vscode.workspace.getConfiguration('meshery.events');
    await config.update('retention', 100, vscode.ConfigurationTarget.Global);
    try {
      for (let i = 0; i < 130; i++) {
        events.record({ category: 'test', action: 'retention', severity: 'debug', description: `r${i}` });
      }
      assert.equal(events.count(), 100);
      assert.equal(events.query({}, { limit: 1 })[0].description, 'r129');
    } finally {
      await config.update('retention', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses a broken kubeconfig with an error event and keeps the setting; accepts a good one', async () => {
    const { events } = await api();
    const sandbox = process.env.MESHERY_TEST_SANDBOX ?? fs.mkdtempSync('/tmp/meshery-kc-');
    const broken = path.join(sandbox, 'broken-kubeconfig');
    fs.writeFileSync(broken, 'contexts: [ {name: \n');
    const good = path.join(sandbox, 'good-kubeconfig');
    fs.writeFileSync(good, 'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c, user: u}\n');
    const setting = () => vscode.workspace.getConfiguration('meshery.kubeconfig').get<string[]>('paths');
    const before = setting();

    assert.equal(await vscode.commands.executeCommand('meshery.kubeconfig.choose', vscode.Uri.file(broken)), false);
    const [refused] = events.query({ categories: ['kubeconfig'], severities: ['error'] });
    assert.ok(refused);
    assert.match(refused.description, /not valid YAML/);
    assert.deepEqual(setting(), before);

    assert.equal(await vscode.commands.executeCommand('meshery.kubeconfig.choose', vscode.Uri.file(good)), true);
    assert.deepEqual(setting(), [good]);
    const [accepted] = events.query({ categories: ['kubeconfig'], severities: ['success'] });
    assert.match(accepted.description, /1 context, current: dev/);
    await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', undefined, vscode.ConfigurationTarget.Global);
  });
});
