import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SimCluster } from './apiServer';
import { KubeObject } from './objectStore';
import { FieldWriter } from './managedFields';
import { SimResourceType, builtinResourceTypes } from './resourceTypes';
import { pick, seededRandom } from './random';

export const scenarioDir = path.resolve(__dirname, '..', '..', 'simcluster', 'scenarios');

function typeFor(cluster: SimCluster, object: KubeObject): SimResourceType {
  const [group, version] = object.apiVersion?.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion ?? ''];
  const type = cluster.store.servedTypes().find((t) => t.group === group && t.version === version && t.kind === object.kind);
  if (!type) {
    throw new Error(`the scenario has a ${object.apiVersion} ${object.kind}, which the server does not serve`);
  }
  return type;
}

/** Creates a list of objects in the order a cluster needs them: namespaces, CRDs, the rest. */
export function loadObjects(cluster: SimCluster, objects: KubeObject[]): number {
  const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  for (const object of ordered) {
    const type = typeFor(cluster, object);
    const existing = cluster.store.get(`${type.group}/${type.resource}`, type.namespaced ? String(object.metadata?.namespace ?? 'default') : '', object.metadata!.name!);
    if (!existing) {
      cluster.store.create(type, object);
    }
  }
  return ordered.length;
}

/** Loads a scenario data file (multi-document YAML) from simcluster/scenarios by name, or a path. */
export function loadScenario(cluster: SimCluster, nameOrPath: string): number {
  const file = fs.existsSync(nameOrPath) ? nameOrPath : path.join(scenarioDir, `${nameOrPath}.yaml`);
  const objects = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as KubeObject)
    .filter((o) => o && typeof o === 'object');
  return loadObjects(cluster, objects);
}

export interface GeneratedClusterOptions {
  readonly objects: number;
  readonly seed: number;
  readonly namespaces?: number;
}

/** How many objects of each type a generated cluster has, relative to one another (pods dominate). */
const weights: Record<string, number> = {
  pods: 30,
  replicasets: 8,
  configmaps: 8,
  secrets: 8,
  events: 10,
  services: 5,
  endpoints: 5,
  endpointslices: 5,
  serviceaccounts: 4,
  deployments: 5,
  rolebindings: 3,
  roles: 2,
  controllerrevisions: 2,
  persistentvolumeclaims: 2,
  statefulsets: 1,
  daemonsets: 1,
  jobs: 2,
  cronjobs: 1,
  leases: 1,
};

const generatedCrds = [
  { group: 'monitoring.coreos.com', plural: 'servicemonitors', kind: 'ServiceMonitor', version: 'v1' },
  { group: 'networking.istio.io', plural: 'virtualservices', kind: 'VirtualService', version: 'v1' },
  { group: 'cert-manager.io', plural: 'certificates', kind: 'Certificate', version: 'v1' },
  { group: 'argoproj.io', plural: 'applications', kind: 'Application', version: 'v1alpha1' },
  { group: 'bench.acme.example', plural: 'gadgets', kind: 'Gadget', version: 'v1' },
];

const images = ['nginx:1.27', 'redis:7.4', 'quay.io/prometheus/node-exporter:v1.8.2', 'ghcr.io/acme/api:3.2.1', 'postgres:16', 'envoyproxy/envoy:v1.31.0'];

/**
 * A cluster of about `objects` objects over 50+ resource types (built-ins and five CRDs), each
 * object about 1 KB of realistic metadata and spec. The same seed gives the same cluster.
 */
export function generateCluster(cluster: SimCluster, options: GeneratedClusterOptions): { objects: number; types: number } {
  const random = seededRandom(options.seed);
  const namespaceCount = options.namespaces ?? Math.max(3, Math.min(200, Math.round(options.objects / 500)));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `team-${i}`);
  const objects: KubeObject[] = namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: name } } }));
  for (const crd of generatedCrds) {
    objects.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${crd.plural}.${crd.group}` },
      spec: {
        group: crd.group,
        scope: 'Namespaced',
        names: { plural: crd.plural, singular: crd.kind.toLowerCase(), kind: crd.kind, listKind: `${crd.kind}List` },
        versions: [{ name: crd.version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
  }
  loadObjects(cluster, objects);

  const listable = builtinResourceTypes.filter((t) => t.verbs.includes('list') && t.resource !== 'namespaces' && t.resource !== 'customresourcedefinitions');
  const crdTypes = generatedCrds.map((c) => cluster.store.findType(c.group, c.version, c.plural)!);
  const types = [...listable, ...crdTypes];
  const totalWeight = types.reduce((n, t) => n + (weights[t.resource] ?? 1), 0);
  let created = objects.length;
  let serial = 0;
  for (const type of types) {
    const share = Math.max(1, Math.round(((options.objects - objects.length) * (weights[type.resource] ?? 1)) / totalWeight));
    for (let i = 0; i < share; i++) {
      const namespace = pick(random, namespaces);
      const app = `app-${Math.floor(random() * 400)}`;
      const name = `${type.kind.toLowerCase()}-${app}-${(serial++).toString(36)}`;
      cluster.store.create(type, generatedObject(type, name, namespace, app, random), new Date(), generatedWriters(type));
      created++;
    }
  }
  return { objects: created, types: types.length + 2 };
}

/** Who writes a generated object, as in a real cluster: kubectl applies it, a controller (the kubelet for a pod) writes its status. */
export function generatedWriters(type: SimResourceType): FieldWriter[] {
  return [{ manager: 'kubectl-client-side-apply' }, { manager: type.resource === 'pods' ? 'kubelet' : 'kube-controller-manager', subresource: 'status' }];
}

export function generatedObject(type: SimResourceType, name: string, namespace: string, app: string, random: () => number): KubeObject {
  const image = pick(random, images);
  const labels = {
    app,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${app}-prod`,
    'app.kubernetes.io/version': `1.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`,
    'pod-template-hash': Math.floor(random() * 1e10).toString(16),
  };
  const metadata: Record<string, unknown> = {
    name,
    labels,
    annotations: { 'meshery.io/generated': 'bench', 'kubectl.kubernetes.io/last-applied-configuration': `{"kind":"${type.kind}","name":"${name}"}` },
  };
  if (type.namespaced) metadata.namespace = namespace;
  if (type.resource === 'pods') {
    const spec = runningPodSpec(name, image, `node-${Math.floor(random() * 50)}`);
    return { apiVersion: '', kind: type.kind, metadata, spec, status: runningPodStatus(name, image) } as KubeObject;
  }
  const spec = { replicas: 1 + Math.floor(random() * 3), selector: { matchLabels: { app } }, note: 'generated for the benchmark' };
  return { apiVersion: '', kind: type.kind, metadata, spec, status: { phase: 'Running', observedGeneration: 1 } } as KubeObject;
}

/** A pod's spec as the API server returns it once admission has filled in its defaults (the service account volume, tolerations, policies). */
function runningPodSpec(name: string, image: string, nodeName: string): Record<string, unknown> {
  const tokenVolume = `kube-api-access-${hexOf(name, 5)}`;
  return {
    volumes: [
      {
        name: tokenVolume,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      },
    ],
    containers: [
      {
        name: 'main',
        image,
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'LOG_LEVEL', value: 'info' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        volumeMounts: [{ name: tokenVolume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    nodeName,
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
}

/** A running pod's status as the kubelet writes it: its conditions, addresses and each container's state and image digest. */
function runningPodStatus(name: string, image: string): Record<string, unknown> {
  const at = '2026-11-30T10:00:02Z';
  const podIp = `10.244.${parseInt(hexOf(name, 2), 16)}.${parseInt(hexOf(name + 'ip', 2), 16)}`;
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at })),
    hostIP: '10.0.1.12',
    hostIPs: [{ ip: '10.0.1.12' }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: at,
    containerStatuses: [
      {
        name: 'main',
        state: { running: { startedAt: at } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image,
        imageID: `${image.split(':')[0]}@sha256:${hexOf(image, 64)}`,
        containerID: `containerd://${hexOf(name, 64)}`,
        started: true,
      },
    ],
    qosClass: 'Burstable',
  };
}

/** `length` hex digits derived from `text`: stable, and without drawing from the generator's random sequence (which names the objects). */
function hexOf(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').repeat(2).slice(0, length);
}
