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
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await screenshot(workbench.page, `e2e-registration-failed-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await workbench?.stop();
    await backends?.stop();
    await sim?.stop();
  });

  /** Register Connection, then "New connection…" typed in its pick (rows can move while connections change); returns when it was picked. */
  const registerNewConnection = () => ui.runCommandAndPick('Meshery: Register Connection', 'New connection');

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
    const clicked = Date.now();
    await panel.openFromRow(row, 'Register prometheus-k8s (monitoring)');
    const openMs = Date.now() - clicked;
    let listed = 0;
    let listMs = 0;
    let searchMs = 0;
    const pageMs = await panel.pageAgeMs();
    console.log(`      registration panel open ${openMs} ms after the click; its page loaded and rendered in ${pageMs} ms of those`);

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
    // Plain http: sending the credential is confirmed once, and recorded.
    await panel.frame.locator('vscode-checkbox#accept-insecure').click();

    // Metrics: the live list, searched, three picked, with their current values.
    const loadClicked = Date.now();
    await panel.button('Load Metric Names').click();
    await panel.frame.locator('.pick-count').waitFor({ timeout: 30_000 });
    listMs = Date.now() - loadClicked;
    listed = Number(((await panel.frame.locator('.pick-count').textContent()) ?? '').match(/of ([\d,]+)/)?.[1].replace(/,/g, ''));
    assert.ok(listed > 10_000, `the live list has the exporter's 10,000 names and Prometheus's own (${listed})`);
    // Searching 10,000 names: typed, debounced (120 ms), filtered and drawn.
    const typed = Date.now();
    await panel.frame.locator('.pick-search input').fill('billing_timeouts');
    await panel.frame.locator('.pick-count', { hasText: /^\s*\d{2,3} of/ }).waitFor();
    searchMs = Date.now() - typed;
    await panel.assertRowsLaidOut();
    console.log(`      ${listed} metric names listed ${listMs} ms after Load; a search answered in ${searchMs} ms (120 ms of it debounce)`);
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
    fs.writeFileSync(path.join(outputDir, 'registration-panel.json'), JSON.stringify({ openMs, pageMs, metricNames: listed, listMs, searchMs }, null, 2));
  });

  it('a wrong password: Test shows the 401 sentence and Register leaves a new connection REGISTERED with the reason', async () => {
    const picked = await registerNewConnection();
    await panel.waitForPanel('New Connection');
    const warmOpenMs = Date.now() - picked;
    const warmPageMs = await panel.pageAgeMs();
    console.log(`      a second registration panel open ${warmOpenMs} ms after the pick; its page in ${warmPageMs} ms of those`);
    const measured = path.join(outputDir, 'registration-panel.json');
    fs.writeFileSync(measured, JSON.stringify({ ...JSON.parse(fs.readFileSync(measured, 'utf8')), warmOpenMs, warmPageMs }, null, 2));
    await panel.input('connection-name').fill('outside prometheus');
    await panel.input('connection-url').fill(backends.prometheus.url);
    await panel.radio('A new credential').click();
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-name').fill('wrong password');
    await panel.input('credential-field-username').fill(backends.prometheusUser.username);
    await panel.input('credential-field-password').fill('not-the-password');
    assert.equal(await panel.button('Test').getAttribute('disabled'), '', 'Test waits for the person to accept sending the credential over http');
    await panel.frame.locator('vscode-checkbox#accept-insecure').click();
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
    // Its events, one click away in the Notification Center.
    await panel.frame.getByRole('link', { name: 'Show its events in the Notification Center' }).click();
    await ui.viewBody('Notification Center').locator('.monaco-list-row', { hasText: 'outside prometheus: not reached' }).first().waitFor({ timeout: 15_000 });
    const others = ui.viewBody('Notification Center').locator('.monaco-list-row', { hasText: 'prometheus-k8s' });
    for (let i = 0; i < 50 && (await others.count()) > 0; i++) await workbench.page.waitForTimeout(200);
    assert.equal(await others.count(), 0, 'only its events are shown');
    // From the error event, Go to reveals the connection in the Connections view.
    const errorRow = ui.viewBody('Notification Center').locator('.monaco-list-row', { hasText: 'outside prometheus: not reached' }).first();
    await errorRow.hover();
    await errorRow.locator('.action-label[aria-label="Go to What It Acted Upon"]').click();
    await ui.viewBody('Connections').locator('.monaco-list-row.selected', { hasText: 'outside prometheus' }).waitFor({ timeout: 15_000 });
    // Several events selected at once, marked read together.
    // (Ctrl+click selects without opening; opening an event would mark it read by itself.)
    const rows = ui.viewBody('Notification Center').locator('.monaco-list-row');
    await rows.nth(0).click({ modifiers: ['Control'] });
    await rows.nth(1).click({ modifiers: ['Control'] });
    await ui.viewBody('Notification Center').locator('.monaco-list-row.selected').nth(1).waitFor();
    const unreadBefore = await rows.locator('.action-label[aria-label="Mark as Read"]').count();
    assert.ok(unreadBefore >= 2, `both chosen events are unread before (${unreadBefore} unread rows)`);
    await rows.nth(1).hover();
    await rows.nth(1).locator('.action-label[aria-label="Mark as Read"]').click();
    for (const i of [0, 1]) await rows.nth(i).locator('.action-label[aria-label="Mark as Unread"]').waitFor({ state: 'attached', timeout: 10_000 });
    // The registration and its test are one operation: one row (its worst outcome, how many
    // events) that opens onto its steps.
    const operation = rows.filter({ hasText: /connection\/register · 2 events/ });
    await operation.waitFor({ timeout: 10_000 });
    assert.match((await operation.textContent()) ?? '', /outside prometheus: not reached/);
    assert.equal(await rows.filter({ hasText: 'outside prometheus: discovered → registered' }).count(), 0, 'its steps are folded under it');
    await operation.locator('.monaco-tl-twistie').click();
    await rows.filter({ hasText: 'outside prometheus: discovered → registered' }).waitFor({ timeout: 10_000 });
    await screenshot(workbench.page, 'e2e-registration-events');
    await ui.runCommand('Meshery: Clear Event Filter');
  });

  it('registers the demo Grafana from the plug on its Service in the Discovered tree, with a board to follow', async () => {
    await ui.collapseView('Connections');
    await ui.viewHeader('Discovered').click();
    await ui.expandRow(await ui.treeRow('Discovered', 'sim-admin'));
    await ui.expandRow(await ui.treeRow('Discovered', 'Kubernetes'));
    await ui.expandRow(await ui.treeRow('Discovered', 'Service', 'v1'));
    // The row says what its connection is: proposed (discovered), and later connected.
    const row = await ui.treeRow('Discovered', 'grafana', 'grafana connection: discovered');
    await panel.openFromRow(row, 'Register grafana (monitoring)');
    assert.match((await panel.section('metadata').locator('.component-current').textContent()) ?? '', /Kubernetes\s*Service/);
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-name').fill('demo grafana');
    await panel.input('credential-field-username').fill(backends.grafanaUser.user);
    await panel.input('credential-field-password').fill(backends.grafanaUser.password);
    await panel.frame.locator('vscode-checkbox#accept-insecure').click();
    await panel.button('Load Boards').click();
    const board = panel.frame.getByRole('option', { name: /Prometheus \/ Overview/ });
    await board.waitFor({ timeout: 30_000 });
    await board.click();
    await panel.button('Register').click();
    await panel.outcome().waitFor({ timeout: 30_000 });
    assert.match((await panel.outcome().textContent()) ?? '', /CONNECTED/);
    const boards = panel.section('details').locator('ul.boards');
    await boards.waitFor({ timeout: 15_000 });
    assert.match((await boards.textContent()) ?? '', /Prometheus \/ Overview/);
    await screenshot(workbench.page, 'e2e-registration-grafana');
    await ui.treeRow('Discovered', 'grafana', 'grafana connection: connected');
    await ui.collapseView('Discovered');
    await ui.viewHeader('Connections').click();
  });

  it('the credential form: Test against two connections changes nothing; Register attaches it to both', async () => {
    const statusOf = async (name: string) => ((await (await ui.treeRow('Connections', name)).textContent()) ?? '').match(/(discovered|registered|connected)/)?.[1];
    const before = { operated: await statusOf('prometheus-operated (monitoring)'), outside: await statusOf('outside prometheus') };
    await ui.runCommand('Meshery: Register Credential');
    await panel.section('credential-form').waitFor({ timeout: 30_000 });
    await panel.radio('Prometheus').click();
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-name').fill('shared prometheus');
    await panel.input('credential-field-username').fill(backends.prometheusUser.username);
    await panel.input('credential-field-password').fill(backends.prometheusUser.password);
    await panel.frame.locator('vscode-checkbox[label^="prometheus-operated (monitoring)"]').click();
    await panel.frame.locator('vscode-checkbox[label^="outside prometheus"]').click();
    await panel.button('Test').click();
    await panel.frame.locator('.test-result').nth(1).waitFor({ timeout: 30_000 });
    const results = await panel.frame.locator('.test-result').allTextContents();
    assert.equal(results.length, 2);
    assert.ok(results.some((r) => /outside prometheus: reached/.test(r)), results.join(' | '));
    await workbench.page.waitForTimeout(1_000);
    assert.deepEqual({ operated: await statusOf('prometheus-operated (monitoring)'), outside: await statusOf('outside prometheus') }, before, 'an ad hoc test changes no status');
    await panel.button('Register').click();
    await panel.outcome().waitFor({ timeout: 30_000 });
    assert.match((await panel.outcome().textContent()) ?? '', /attached to 2 connection/);
    await screenshot(workbench.page, 'e2e-registration-credential');
    await ui.viewHeader('Credentials').click();
    const credential = await ui.treeRow('Credentials', 'shared prometheus');
    assert.match((await credential.textContent()) ?? '', /used by 2/);
    await ui.viewHeader('Credentials').click();
  });

  it('keeps a draft across a window reload, without its secret values', async () => {
    await registerNewConnection();
    await panel.waitForPanel('New Connection');
    await panel.input('connection-name').fill('draft survives');
    await panel.radio('A new credential').click();
    await panel.radio('Basic auth (user:password)').click();
    await panel.input('credential-field-username').fill('someone');
    await panel.input('credential-field-password').fill('typed-secret-never-saved');
    await workbench.page.waitForTimeout(500);
    // Developer: Reload Window, as a person reloads: the workbench saves its editors first.
    await ui.runCommand('Developer: Reload Window');
    await workbench.page.waitForTimeout(3_000);
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // Panels are restored when their tab is shown: a person clicks the tab.
    await workbench.page.locator('.tabs-container .tab', { hasText: 'New Connection' }).first().click({ timeout: 60_000 });
    await panel.section('metadata').waitFor({ timeout: 60_000 });
    assert.equal(await panel.input('connection-name').inputValue(), 'draft survives');
    assert.equal(await panel.input('credential-field-username').inputValue(), 'someone');
    assert.equal(await panel.input('credential-field-password').inputValue(), '', 'the secret was not kept');
  });

  it('does the Prometheus flow with the keyboard alone (Tab, arrows, typing, Enter, Space)', async () => {
    const keys = workbench.page.keyboard;
    await registerNewConnection();
    await panel.waitForPanel('New Connection');
    // View: Focus First Editor Group, as a keyboard user moves into the panel.
    await keys.press('Control+1');
    await panel.tabTo('#connection-name');
    await keys.type('keyboard prometheus');
    await panel.tabTo('#connection-url');
    await keys.type(backends.prometheus.url);
    await panel.tabTo('vscode-radio[name="credential-mode"]');
    await panel.arrowToRadio('A new credential');
    await panel.tabTo('vscode-radio[name="credential-type"]');
    await panel.arrowToRadio('Basic auth (user:password)');
    await panel.tabTo('#credential-name');
    await keys.type('keyboard credential');
    await panel.tabTo('#credential-field-username');
    await keys.type(backends.prometheusUser.username);
    await panel.tabTo('#credential-field-password');
    await keys.type(backends.prometheusUser.password);
    await panel.tabTo('#accept-insecure', { backwards: true });
    await keys.press('Space');
    await panel.tabTo('vscode-button[icon="refresh"]');
    await keys.press('Enter');
    await panel.frame.locator('.pick-count').waitFor({ timeout: 30_000 });
    for (const name of metrics) {
      await panel.tabTo('.pick-search', { backwards: true });
      await keys.press('Control+A');
      await keys.type(name);
      await panel.frame.getByRole('option', { name, exact: true }).waitFor();
      await panel.tabTo('.pick-viewport');
      await keys.press('Space');
    }
    await panel.frame.locator('.chosen-metrics tbody tr').nth(2).waitFor();
    await panel.tabTo('#new-environment');
    await keys.type('keyboard');
    await keys.press('Enter');
    await panel.frame.locator('vscode-checkbox[label="keyboard"][checked]').waitFor({ timeout: 10_000 });
    await panel.tabTo('vscode-button[icon="beaker"]');
    await keys.press('Enter');
    await panel.testResult().waitFor({ timeout: 30_000 });
    assert.match((await panel.testResult().textContent()) ?? '', /Test: reached/);
    await panel.tabTo('vscode-button[icon="plug"]');
    await keys.press('Space');
    await panel.outcome().waitFor({ timeout: 30_000 });
    assert.match((await panel.outcome().textContent()) ?? '', /CONNECTED/);
    await screenshot(workbench.page, 'e2e-registration-keyboard');
  });

  it('leaves no secret value in the database file or the logs', async () => {
    await workbench.page.waitForTimeout(2_000);
    const secrets = [backends.prometheusUser.password, backends.grafanaUser.password, 'typed-secret-never-saved', 'not-the-password'];
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'extensions') walk(file);
        } else if (entry.isFile() && fs.statSync(file).size < 50 * 1024 * 1024) {
          const bytes = fs.readFileSync(file);
          for (const secret of secrets) if (bytes.includes(Buffer.from(secret))) found.push(`${path.relative(workbench.sandbox.root, file)}: ${secret}`);
        }
      }
    };
    walk(workbench.sandbox.root);
    // VS Code's SecretStorage keeps them encrypted; nothing else may hold them in clear text.
    assert.deepEqual(found, []);
  });
});
