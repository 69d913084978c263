import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createVSIX } from '@vscode/vsce';
import { ensureTestTools, repoRoot } from '../support/vscodeServer';
import { SimFixture, startSim } from '../support/simHarness';
import { MesheryWorkbench } from './pageObjects/mesheryWorkbench';
import { Workbench, screenshot, startWorkbench } from './workbenchFixture';

describe('Meshery following the Kubernetes extension (packaged .vsix, Chromium)', function () {
  this.timeout(240_000);
  let sim: SimFixture;
  let workbench: Workbench;

  before(async () => {
    sim = await startSim({ scenario: 'demo' });
    // The Kubernetes extension's configuration API, as a test double installed as a user installs
    // an extension; its kubeconfig is its own setting, and there is no ~/.kube/config.
    const doubleVsix = path.join(sim.dir, 'fake-kubernetes-tools.vsix');
    await createVSIX({ cwd: path.join(repoRoot, 'test', 'fixtures', 'fake-kubernetes-tools'), packagePath: doubleVsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
    workbench = await startWorkbench('kubernetes-tools', (_storage, sandbox) => {
      const tools = ensureTestTools();
      const entry = path.join(tools.codeServer, 'out', 'node', 'entry.js');
      execFileSync(tools.node24, [entry, '--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData, '--install-extension', doubleVsix], { env: sandbox.env, stdio: 'pipe' });
      fs.mkdirSync(path.join(sandbox.userData, 'User'), { recursive: true });
      fs.writeFileSync(path.join(sandbox.userData, 'User', 'settings.json'), JSON.stringify({ 'vs-kubernetes': { 'vs-kubernetes.kubeconfig': sim.kubeconfig } }));
    });
  });
  after(async () => {
    await workbench?.stop();
    await sim?.stop();
  });

  it('discovers the clusters of the kubeconfig the Kubernetes extension uses', async () => {
    const ui = new MesheryWorkbench(workbench.page);
    await ui.openMesheryContainer();
    await ui.viewBody('Discovered').locator('.monaco-list-row', { hasText: 'sim-admin' }).filter({ hasText: 'synced' }).waitFor({ timeout: 90_000 });
    await screenshot(workbench.page, 'e2e-kubernetes-tools-followed');
  });
});
