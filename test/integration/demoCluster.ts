import * as vscode from 'vscode';
import { MesheryExtensionApi } from '../../src/ui/api';
import { mesheryApi } from './mesheryApi';
import { SimFixture, eventually, startSim } from '../support/simHarness';

const kubeconfigPaths = () => vscode.workspace.getConfiguration('meshery.kubeconfig');

/** The simulated demo cluster as the running extension's only kubeconfig, once it is synced. */
export async function syncedDemoCluster(): Promise<{ api: MesheryExtensionApi; sim: SimFixture; clusterId: string }> {
  const api = await mesheryApi();
  const sim = await startSim({ scenario: 'demo' });
  await kubeconfigPaths().update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
  const clusterId = sim.cluster.kubeSystemUid;
  await eventually(() => api.discovery.statuses().some((s) => s.clusterId === clusterId && s.state === 'synced'), 30_000, () => 'not synced');
  return { api, sim, clusterId };
}

/** Puts the kubeconfig setting back and stops the cluster. */
export async function forgetDemoCluster(sim: SimFixture | undefined): Promise<void> {
  await kubeconfigPaths().update('paths', undefined, vscode.ConfigurationTarget.Global);
  await sim?.stop();
}
