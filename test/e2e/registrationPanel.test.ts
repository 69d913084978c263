import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DemoBackends, startDemoBackends } from '../support/demoBackends';
import { SimFixture, startSim } from '../support/simHarness';
import { MesheryWorkbench } from './pageObjects/mesheryWorkbench';
import { RegistrationPanelPage } from './pageObjects/registrationPanel';
import { Workbench, outputDir, screenshot, startWorkbenchWithKubeconfig } from './workbenchFixture';

const metrics = ['go_goroutines', 'prometheus_tsdb_head_series', 'process_resident_memory_bytes'];

describe('the registration panel on the demo cluster (packaged .vsix, Chromium)', function () {
  this.timeout(300_000);
  let sim: SimFixture;
  let backends: DemoBackends;
  let workbench: Workbench;
  let ui: MesheryWorkbench;
  let panel: RegistrationPanelPage;

  before(async () => {
    sim = await startSim({ scenario: 'demo' });
    backends = await startDemoBackends(sim.cluster);
    workbench = await startWorkbenchWithKubeconfig('registration', sim.kubeconfig);
    ui = new MesheryWorkbench(workbench.page);
    panel = new RegistrationPanelPage(workbench.page);
  });
  after(async () => {
    await workbench?.stop();
    await backends?.stop();
    await sim?.stop();
  });

  /**
   * Switches the colour theme the way a person does: Preferences: Color Theme, then the theme. Rows
   * are chosen by their exact label, never the marketplace entries (there is no network here).
   */
  async function setTheme(theme: string): Promise<void> {
    const page = workbench.page;
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => undefined);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
    const picker = page.locator('.quick-input-widget input[placeholder*="Color Theme"]');
    await picker.waitFor({ timeout: 10_000 });
    await picker.fill(theme);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme}"]`).first().click();
    await page.waitForTimeout(1_500);
  }

  it('registers the demo Prometheus: basic-auth credential created inline, 3 live metrics, environment "staging", Test then Register, sparklines on its details page', async () => {
    await ui.openMesheryContainer();
    await ui.collapseView('Discovered');
    const row = await ui.treeRow('Connections', 'prometheus-k8s (monitoring)');
    await row.hover();
    const clicked = Date.now();
    await row.locator('.action-label[aria-label^="Register Connection"]').click();
    await panel.section('metadata').waitFor({ timeout: 30_000 });
    const openMs = Date.now() - clicked;
    console.log(`      registration panel open ${openMs} ms after the click`);

    // Metadata: the model and component that fingerprinting found, where it was found.
    const metadata = panel.section('metadata');
    assert.match((await metadata.locator('.component-current').textContent()) ?? '', /Prometheus Operator\s*Prometheus/);
    assert.match((await metadata.locator('.found').textContent()) ?? '', /monitoring[\s\S]*prometheus-k8s/);

    // Credential: a new basic-auth one, inline.
    await panel.radio('A new credential').click();
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-name').fill('demo prometheus');
    await panel.input('credential-field-username').fill(backends.prometheusUser.username);
    await panel.input('credential-field-password').fill(backends.prometheusUser.password);

    // Metrics: the live list, searched, three picked, with their current values.
    await panel.button('Load Metric Names').click();
    await panel.frame.locator('.pick-count').waitFor({ timeout: 30_000 });
    for (const name of metrics) await panel.pickMetric(name);
    await panel.frame.locator('.chosen-metrics tbody tr').nth(2).waitFor();
    await workbench.page.waitForTimeout(1_500);
    const values = await panel.frame.locator('.chosen-metrics .metric-value').allTextContents();
    assert.equal(values.filter((v) => /^\d/.test(v.trim())).length, 3, `current values: ${values.join(' | ')}`);

    // Environment "staging", created inline.
    await panel.input('new-environment').fill('staging');
    await panel.button('Create Environment').click();
    await panel.frame.locator('vscode-checkbox[label="staging"][checked]').waitFor({ timeout: 10_000 });

    await panel.button('Test').click();
    await panel.testResult().waitFor({ timeout: 30_000 });
    const tested = (await panel.testResult().textContent()) ?? '';
    assert.match(tested, /Test: reached/);
    assert.match(tested, /version \d+\.\d+/);
    await screenshot(workbench.page, 'e2e-registration-prometheus');

    await panel.button('Register').click();
    await panel.outcome().waitFor({ timeout: 30_000 });
    assert.match((await panel.outcome().textContent()) ?? '', /CONNECTED/);

    // The details page: credential and environment, and three sparklines with data.
    const details = panel.section('details');
    await details.waitFor({ timeout: 15_000 });
    assert.match((await details.locator('.found').textContent()) ?? '', /staging[\s\S]*demo prometheus \(basic-auth; set: password, username\)/);
    const charts = details.locator('.sparkline-chart');
    for (let i = 0; i < 60; i++) {
      const points = await charts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));
      if (points.length === 3 && points.every((p) => p > 0)) break;
      await workbench.page.waitForTimeout(1_000);
    }
    const points = await charts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));
    assert.deepEqual(points.map((p) => p > 0), [true, true, true], `points per sparkline: ${points.join(', ')}`);
    for (const [theme, name] of [
      ['Dark Modern', 'dark'],
      ['Light Modern', 'light'],
      ['Dark High Contrast', 'high-contrast'],
    ]) {
      await setTheme(theme);
      await panel.frame.locator('.panel-header').scrollIntoViewIfNeeded();
      await screenshot(workbench.page, `e2e-registration-details-${name}`);
    }
    await setTheme('Light Modern');

    // The Connections view agrees.
    const registered = await ui.treeRow('Connections', 'prometheus-k8s (monitoring)');
    assert.match((await registered.textContent()) ?? '', /connected · prometheus/);
    fs.mkdirSync(outputDir, { recursive: true });
    fs.writeFileSync(path.join(outputDir, 'registration-panel.json'), JSON.stringify({ openMs }, null, 2));
  });

  it('a wrong password: Test shows the 401 sentence and Register leaves a new connection REGISTERED with the reason', async () => {
    await ui.runCommand('Meshery: Register Connection');
    await ui.pickQuickItem('New connection');
    await panel.section('metadata').waitFor({ timeout: 30_000 });
    await panel.input('connection-name').fill('outside prometheus');
    await panel.input('connection-url').fill(backends.prometheus.url);
    await panel.radio('A new credential').click();
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-name').fill('wrong password');
    await panel.input('credential-field-username').fill(backends.prometheusUser.username);
    await panel.input('credential-field-password').fill('not-the-password');
    await panel.button('Test').click();
    await panel.testResult().waitFor({ timeout: 30_000 });
    const tested = (await panel.testResult().textContent()) ?? '';
    assert.match(tested, /not reached/);
    assert.match(tested, /unauthorized/);
    assert.match(tested, /rejected the credential \(401\)/);
    await panel.button('Register').click();
    await panel.outcome().waitFor({ timeout: 30_000 });
    const outcome = (await panel.outcome().textContent()) ?? '';
    assert.match(outcome, /REGISTERED/);
    assert.match(outcome, /401/);
    await screenshot(workbench.page, 'e2e-registration-wrong-password');
  });
});
