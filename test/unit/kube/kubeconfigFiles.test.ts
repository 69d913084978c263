import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { existingKubeconfigFiles, inspectKubeconfig, kubeconfigCandidates } from '../../../src/core/kube/kubeconfigFiles';
import { useTempDir } from '../../support/tempDir';

describe('kubeconfig files', () => {
  const tmp = useTempDir();

  it('prefer the setting, then $KUBECONFIG (several files), then ~/.kube/config', () => {
    const home = '/home/u';
    assert.deepEqual(kubeconfigCandidates({ settingPaths: ['~/a', ' /b '], env: { KUBECONFIG: '/x' }, homeDir: home }), ['/home/u/a', '/b']);
    assert.deepEqual(kubeconfigCandidates({ settingPaths: [], env: { KUBECONFIG: `/x${path.delimiter}/y${path.delimiter}` }, homeDir: home }), [
      '/x',
      '/y',
    ]);
    assert.deepEqual(kubeconfigCandidates({ settingPaths: [], env: {}, homeDir: home }), ['/home/u/.kube/config']);
  });

  it('skip files that do not exist', () => {
    const real = path.join(tmp.path, 'config');
    fs.writeFileSync(real, 'contexts: []\n');
    assert.deepEqual(existingKubeconfigFiles({ settingPaths: [], env: { KUBECONFIG: `${path.join(tmp.path, 'nope')}${path.delimiter}${real}` } }), [real]);
  });

  it('read contexts and current-context, and explain what is wrong with a broken file', () => {
    const good = path.join(tmp.path, 'good');
    fs.writeFileSync(good, 'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c, user: u}\n- name: prod\n  context: {cluster: c, user: u}\n');
    assert.deepEqual(inspectKubeconfig(good), { ok: true, contexts: ['dev', 'prod'], currentContext: 'dev' });

    const badYaml = path.join(tmp.path, 'bad');
    fs.writeFileSync(badYaml, 'contexts: [\n  - name: dev\n  oops: : :\n');
    const bad = inspectKubeconfig(badYaml);
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.reason : '', /not valid YAML/);

    const notConfig = path.join(tmp.path, 'list');
    fs.writeFileSync(notConfig, '- a\n- b\n');
    assert.match((inspectKubeconfig(notConfig) as { reason: string }).reason, /not a kubeconfig/);

    const noContexts = path.join(tmp.path, 'empty');
    fs.writeFileSync(noContexts, 'apiVersion: v1\nclusters: []\n');
    assert.match((inspectKubeconfig(noContexts) as { reason: string }).reason, /no contexts list/);

    assert.match((inspectKubeconfig(path.join(tmp.path, 'missing')) as { reason: string }).reason, /ENOENT/);
  });
});
