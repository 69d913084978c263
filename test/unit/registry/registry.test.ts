import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importMesheryModels } from '../../../src/core/registry/mesheryImport';
import { Registry } from '../../../src/core/registry/registry';
import { shippedModels } from '../../../src/core/registry/shippedModels';
import { ModelDefinition } from '../../../src/core/registry/types';
import { modelIconSvg } from '../../../src/core/registry/iconSvg';
import { useTempDir } from '../../support/tempDir';

describe('registry and tier 1 fingerprinting', () => {
  const tmp = useTempDir();

  it('ships the Kubernetes core model and at least 25 ecosystem models, each with its own icon', () => {
    const names = shippedModels.map((m) => m.name);
    assert.ok(names.includes('kubernetes'));
    assert.ok(shippedModels.filter((m) => m.specificity === 'specific').length >= 25);
    for (const required of ['prometheus-operator', 'grafana-operator', 'istio', 'linkerd', 'cert-manager', 'argo-cd', 'argo-rollouts', 'argo-workflows', 'flux', 'knative', 'keda', 'gateway-api', 'traefik', 'kyverno', 'gatekeeper', 'external-secrets', 'sealed-secrets', 'velero', 'tekton', 'crossplane', 'strimzi', 'eck', 'jaeger', 'opentelemetry-operator', 'cilium', 'calico', 'longhorn', 'rook']) {
      assert.ok(names.includes(required), required);
    }
    for (const model of shippedModels) {
      const svg = modelIconSvg(model);
      assert.match(svg, /^<svg [^>]*viewBox="0 0 32 32">/);
      assert.ok(svg.includes(`fill="${model.primaryColor}"`), `${model.name} icon is in its colour`);
    }
  });

  it("fingerprints every shipped model's kinds to that model, at their exact version", () => {
    const registry = new Registry();
    for (const model of shippedModels) {
      for (const c of model.components) {
        const fp = registry.fingerprint(c.group, c.version, c.kind);
        assert.equal(fp.model.name, model.name, `${c.group}/${c.version} ${c.kind}`);
        assert.equal(fp.component.kind, c.kind);
        assert.equal(fp.versionSkew, false);
      }
    }
  });

  it('matches the same group and kind at another version, flagged as version skew', () => {
    const registry = new Registry();
    const skewed = registry.fingerprint('networking.istio.io', 'v1beta1', 'VirtualService');
    assert.equal(skewed.model.name, 'istio');
    assert.equal(skewed.versionSkew, true);
    assert.equal(skewed.component.version, 'v1');
    assert.equal(registry.fingerprint('networking.istio.io', 'v1', 'VirtualService').versionSkew, false);
  });

  it('decides between models defining the same kind: imported, then specific, then generic', () => {
    const specific: ModelDefinition = {
      name: 'my-platform',
      displayName: 'My Platform',
      category: 'Platform',
      primaryColor: '#123456',
      secondaryColor: '#654321',
      icon: { glyph: 'MP', shape: 'circle' },
      specificity: 'specific',
      components: [{ group: '', version: 'v1', kind: 'Service', namespaced: true }],
    };
    const imported: ModelDefinition = { ...specific, name: 'imported-prometheus', specificity: 'imported', components: [{ group: 'monitoring.coreos.com', version: 'v1', kind: 'Prometheus', namespaced: true }] };
    const registry = new Registry([...shippedModels, specific, imported]);
    assert.equal(registry.fingerprint('', 'v1', 'Service').model.name, 'my-platform', 'specific beats the generic Kubernetes model');
    assert.equal(registry.fingerprint('', 'v1', 'Pod').model.name, 'kubernetes');
    assert.equal(registry.fingerprint('monitoring.coreos.com', 'v1', 'Prometheus').model.name, 'imported-prometheus', 'imported beats shipped');
  });

  it('puts unknown kinds in an uncategorized model per API group', () => {
    const registry = new Registry();
    const widget = registry.fingerprint('widgets.acme.example', 'v1', 'Widget');
    const gadget = registry.fingerprint('widgets.acme.example', 'v2', 'Gadget');
    assert.equal(widget.model.name, 'uncategorized:widgets.acme.example');
    assert.equal(widget.model, gadget.model, 'one model per group');
    assert.equal(widget.model.specificity, 'uncategorized');
    assert.notEqual(registry.fingerprint('other.example', 'v1', 'Widget').model, widget.model);
  });

  function write(file: string, content: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }

  it('imports Meshery model folders; a broken file is one clear problem and the rest still load', () => {
    const good = path.join(tmp.path, 'good', 'acme-mesh', 'v1.0.0', 'v1.2.0');
    write(path.join(good, 'model.json'), {
      schemaVersion: 'models.meshery.io/v1beta1',
      name: 'acme-mesh',
      displayName: 'ACME Mesh',
      category: { name: 'Cloud Native Network' },
      metadata: { primaryColor: '#FF0066', secondaryColor: '#FFCCDD' },
    });
    write(path.join(good, 'components', 'Route.json'), {
      displayName: 'Route',
      model: { name: 'acme-mesh' },
      metadata: { isNamespaced: true },
      styles: { primaryColor: '#FF0066' },
      component: { version: 'mesh.acme.example/v1', kind: 'Route', schema: '{}' },
    });
    write(path.join(good, 'components', 'Broken.json'), { displayName: 'Broken', component: { version: 'mesh.acme.example/v1' } });
    const bad = path.join(tmp.path, 'bad', 'oops', 'model.json');
    write(bad, '{ "name": "oops", ');

    const result = importMesheryModels([path.join(tmp.path, 'good'), path.join(tmp.path, 'bad')]);
    assert.deepEqual(result.models.map((m) => m.name), ['acme-mesh']);
    const [model] = result.models;
    assert.equal(model.specificity, 'imported');
    assert.equal(model.category, 'Cloud Native Network');
    assert.deepEqual(model.components, [{ group: 'mesh.acme.example', version: 'v1', kind: 'Route', namespaced: true, displayName: 'Route', styles: { primaryColor: '#FF0066', secondaryColor: undefined } }]);
    assert.equal(result.problems.length, 2);
    assert.match(result.problems.find((p) => p.file.endsWith('Broken.json'))!.reason, /component\.kind and component\.version/);
    assert.match(result.problems.find((p) => p.file === bad)!.reason, /not valid JSON/);

    const registry = new Registry([...shippedModels, ...result.models]);
    assert.equal(registry.fingerprint('mesh.acme.example', 'v1', 'Route').model.displayName, 'ACME Mesh');
  });
});
