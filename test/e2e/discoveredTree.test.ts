import * as assert from 'node:assert/strict';
import { MesheryWorkbench } from './pageObjects/mesheryWorkbench';
import { Workbench, screenshot, startWorkbenchWithKubeconfig } from './workbenchFixture';
import { SimFixture, startSim } from '../support/simHarness';

describe('Meshery discovering the demo cluster (packaged .vsix, Chromium)', function () {
  this.timeout(240_000);
  let sim: SimFixture;
  let workbench: Workbench;
  let ui: MesheryWorkbench;

  before(async () => {
    sim = await startSim({ scenario: 'demo' });
    workbench = await startWorkbenchWithKubeconfig('demo-cluster', sim.kubeconfig);
    ui = new MesheryWorkbench(workbench.page);
  });
  after(async () => {
    await workbench?.stop();
    await sim?.stop();
  });

  it('shows the cluster, its kinds with counts and their objects, and the sync in the status bar', async () => {
    const opened = Date.now();
    await ui.openMesheryContainer();
    const tree = ui.viewBody('Discovered');
    const clusterRow = tree.locator('.monaco-list-row', { hasText: 'sim-admin' });
    await clusterRow.filter({ hasText: 'synced' }).waitFor({ timeout: 60_000 });
    console.log(`      demo cluster: tree populated and synced ${Date.now() - opened} ms after the workbench loaded`);
    const objects = sim.cluster.store.count();
    await workbench.page.locator('.statusbar-item', { hasText: `Meshery: 1 cluster · ${objects.toLocaleString('en-US')} objects` }).waitFor({ timeout: 30_000 });

    await ui.expandRow(clusterRow);
    // Models, with counts and their own icons.
    const prometheusModel = await ui.treeRow('Discovered', 'Prometheus Operator');
    assert.match((await prometheusModel.textContent()) ?? '', /Prometheus Operator\s*\d+ · \d+ kinds/);
    assert.ok(await prometheusModel.locator('.custom-view-tree-node-item-icon, .monaco-icon-label').count(), 'the model row has an icon');
    await (await ui.treeRow('Discovered', 'Istio')).waitFor();
    await (await ui.treeRow('Discovered', 'Uncategorized (widgets.acme.example)')).waitFor();
    await ui.expandRow(prometheusModel);
    const prometheusKind = await ui.treeRow('Discovered', 'Prometheus', 'monitoring.coreos.com/v1');
    assert.match((await prometheusKind.textContent()) ?? '', /1 · monitoring\.coreos\.com\/v1/);
    await ui.expandRow(prometheusKind);
    const object = await ui.treeRow('Discovered', 'k8s', 'monitoring');
    await screenshot(workbench.page, 'e2e-discovered-tree');

    // An object's tooltip is made when the pointer rests on it (resolveTreeItem).
    await object.hover();
    const hover = workbench.page.locator('.monaco-hover', { hasText: 'monitoring/k8s' });
    await hover.waitFor({ timeout: 15_000 });
    assert.match((await hover.textContent()) ?? '', /Model: Prometheus Operator · component: Prometheus/);
    await screenshot(workbench.page, 'e2e-discovered-tooltip');
    await workbench.page.mouse.move(0, 0);

    // Selecting an object opens its YAML, read live from the cluster.
    await object.click();
    await workbench.page.locator('.tab', { hasText: 'k8s.yaml' }).waitFor({ timeout: 15_000 });
    await workbench.page.locator('.view-lines', { hasText: 'kind: Prometheus' }).waitFor({ timeout: 15_000 });
    await screenshot(workbench.page, 'e2e-object-yaml');

    // The candidates are proposed as connections, grouped by status.
    const connection = await ui.treeRow('Connections', 'prometheus-k8s (monitoring)');
    assert.match((await connection.textContent()) ?? '', /discovered · prometheus/);
    await ui.treeRow('Connections', 'grafana (monitoring)');
    await ui.treeRow('Connections', 'sim-admin');
    await screenshot(workbench.page, 'e2e-connections');
  });

  it('filters as the user types; Enter keeps the filter, Escape puts back the one there was', async () => {
    const tree = ui.viewBody('Discovered');
    const clusterRow = tree.locator('.monaco-list-row', { hasText: 'sim-admin' });
    const header = workbench.page.locator('.pane-header', { hasText: 'Discovered' });
    const total = sim.cluster.store.count().toLocaleString('en-US');
    const filterInput = await ui.openFilterInput();
    await filterInput.pressSequentially('grafa', { delay: 60 });
    assert.equal(await filterInput.inputValue(), 'grafa');
    // Before Enter: the tree already shows only what matches, the input still open.
    await clusterRow.filter({ hasText: new RegExp(`\\d+ of ${total} objects`) }).waitFor({ timeout: 10_000 });
    await (await ui.treeRow('Discovered', 'Grafana')).waitFor();
    // The count shown first can be an earlier keystroke's ("g" still matches Istio's objects).
    await ui.settledText(clusterRow);
    assert.equal(await tree.locator('.monaco-list-row', { hasText: 'Istio' }).count(), 0, 'models with nothing matching are gone');
    assert.ok(await filterInput.isVisible(), 'the input stays open while the tree follows');
    await screenshot(workbench.page, 'e2e-discovered-filter-typing');
    await workbench.page.keyboard.press('Enter');
    await header.filter({ hasText: 'Filtered: "grafa"' }).waitFor({ timeout: 10_000 });
    const kept = await ui.settledText(clusterRow);

    // Typing something else, then Escape: the tree goes back to "grafa".
    const again = await ui.openFilterInput();
    assert.equal(await again.inputValue(), 'grafa', 'the input starts from the filter there is');
    await again.fill('no-object-is-called-this');
    await clusterRow.filter({ hasText: `0 of ${total} objects` }).waitFor({ timeout: 10_000 });
    await workbench.page.keyboard.press('Escape');
    await clusterRow.filter({ hasText: kept }).waitFor({ timeout: 10_000 });
    await header.filter({ hasText: 'Filtered: "grafa"' }).waitFor();

    await ui.runCommand('Meshery: Clear Discovered Filter');
    await clusterRow.filter({ hasText: `${total} objects` }).filter({ hasNotText: ' of ' }).waitFor({ timeout: 10_000 });
  });
});
