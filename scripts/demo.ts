/**
 * `npm run demo`: the simulated demo cluster (kube-prometheus, Grafana, Istio, cert-manager,
 * Argo CD, Linkerd, ...) and a real VS Code (code-server's workbench) with the packaged extension
 * installed, in a private profile whose ~/.kube/config points at that cluster, all bound to
 * 127.0.0.1. With MESHERY_DEMO_KUBECONFIG=FILE it uses your kubeconfig instead of the simulated
 * cluster. Prints the URL to open; Ctrl-C stops everything.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimCluster } from '../simcluster/apiServer';
import { loadScenario } from '../simcluster/scenarios';
import { DemoBackends, startDemoBackends } from '../test/support/demoBackends';
import { createSandbox, ensureTestTools, freePort, repoRoot, startProcess, waitForHttp } from '../test/support/vscodeServer';

async function main(): Promise<void> {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const vsix = path.join(repoRoot, `${name}-${version}.vsix`);
  const tools = ensureTestTools();
  const sandbox = createSandbox('demo');
  const ownKubeconfig = process.env.MESHERY_DEMO_KUBECONFIG;
  let cluster: SimCluster | undefined;
  let backends: DemoBackends | undefined;
  fs.mkdirSync(path.join(sandbox.home, '.kube'), { recursive: true });
  if (ownKubeconfig) {
    fs.copyFileSync(ownKubeconfig, path.join(sandbox.home, '.kube', 'config'));
  } else {
    cluster = await SimCluster.start({
      users: [
        { name: 'admin', token: randomBytes(16).toString('hex') },
        { name: 'viewer', token: randomBytes(16).toString('hex'), forbidden: [{ group: '', resource: 'secrets' }] },
      ],
    });
    loadScenario(cluster, 'demo');
    backends = await startDemoBackends(cluster);
    fs.writeFileSync(path.join(sandbox.home, '.kube', 'config'), cluster.kubeconfig('demo'), { mode: 0o600 });
    console.log(`Simulated demo cluster at ${cluster.url} (${cluster.store.count()} objects; contexts demo-admin, demo-viewer).`);
    console.log(`Its Prometheus is a real one at ${backends.prometheus.url} (basic auth: ${backends.prometheusUser.username} / ${backends.prometheusUser.password});`);
    console.log(`its Grafana answers at ${backends.grafana.url} (basic auth: ${backends.grafanaUser.user} / ${backends.grafanaUser.password}).`);
  }
  const entry = path.join(tools.codeServer, 'out', 'node', 'entry.js');
  const common = ['--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData];
  execFileSync(tools.node24, [entry, ...common, '--install-extension', vsix], { env: sandbox.env, stdio: 'inherit' });

  const port = Number(process.env.MESHERY_DEMO_PORT) || (await freePort());
  const server = startProcess(
    tools.node24,
    [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', sandbox.workspace],
    sandbox.env,
  );
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log('\nStopping the demo…');
    await server.stop();
    await cluster?.stop();
    await backends?.stop();
    fs.rmSync(sandbox.root, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  server.child.on('exit', (code) => {
    if (!stopping) {
      console.error(`code-server exited (${code}):\n${server.output()}`);
      void stop(1);
    }
  });

  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
  console.log(`\nMeshery demo is running. Open this URL in a browser on this machine:\n\n  http://127.0.0.1:${port}/?folder=${encodeURIComponent(sandbox.workspace)}\n`);
  console.log('Open the Meshery icon in the activity bar. Press Ctrl-C to stop.');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
