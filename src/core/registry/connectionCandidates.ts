import { Disposable } from '../common/disposable';
import { runAtOnce, runInTurns } from '../common/turns';
import { Inventory, InventoryMutation } from '../inventory/inventory';
import { ObjectSummary } from '../kube/objectSummary';
import { serviceUrls } from './serviceUrl';

export type CandidateKind = 'kubernetes' | 'prometheus' | 'grafana';

export interface Signal {
  readonly type: 'kubeconfig' | 'label' | 'image' | 'custom-resource' | 'port' | 'name';
  readonly detail: string;
  /** Strong signals alone make a candidate; weak ones (port, name) only together. */
  readonly strong: boolean;
}

/** A discovered object that is really a service a user connects to, and why we think so. */
export interface ConnectionCandidate {
  readonly kind: CandidateKind;
  readonly clusterId: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly objectUid: string | undefined;
  readonly signals: readonly Signal[];
  /**
   * In-cluster address, the outside address when the Service has one, and the API server's
   * service-proxy path (reachable from outside the cluster).
   */
  readonly urls: { readonly inCluster?: string; readonly external?: string; readonly proxyPath?: string; readonly server?: string };
  /** The Service port it is reached on. */
  readonly port?: number;
}

interface Detector {
  readonly kind: 'prometheus' | 'grafana';
  readonly appNames: readonly string[];
  readonly images: readonly RegExp[];
  readonly port: number;
  readonly customResource: { readonly typeKey: string; readonly serviceNames: (crName: string) => string[] };
}

const appLabelKeys = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name'];

const detectors: readonly Detector[] = [
  {
    kind: 'prometheus',
    appNames: ['prometheus', 'prometheus-server'],
    images: [/(^|\/)prometheus\/prometheus(:|@|$)/, /(^|\/)prom\/prometheus(:|@|$)/, /(^|\/)bitnami\/prometheus(:|@|$)/],
    port: 9090,
    // The Prometheus Operator serves a Prometheus named N as prometheus-N and prometheus-operated.
    customResource: { typeKey: 'monitoring.coreos.com/prometheuses', serviceNames: (cr) => [`prometheus-${cr}`, 'prometheus-operated'] },
  },
  {
    kind: 'grafana',
    appNames: ['grafana'],
    images: [/(^|\/)grafana\/grafana(-oss|-enterprise)?(:|@|$)/, /(^|\/)bitnami\/grafana(:|@|$)/],
    port: 3000,
    // The Grafana Operator serves a Grafana named N as N-service.
    customResource: { typeKey: 'grafana.integreatly.org/grafanas', serviceNames: (cr) => [`${cr}-service`] },
  },
];

/** Only Services are candidates with an object (the cluster itself has none). */
export const candidateObjectTypeKey = '/services';

/** The kinds whose objects decide the candidates: the Services, their pods and the detectors' custom resources. */
const decidingTypeKeys = new Set([candidateObjectTypeKey, '/pods', ...detectors.map((detector) => detector.customResource.typeKey)]);

/** Whether a change of these kinds can change the candidates (most kinds never do). */
export function decidesCandidates(typeKeys: Iterable<string>): boolean {
  for (const typeKey of typeKeys) if (decidingTypeKeys.has(typeKey)) return true;
  return false;
}

function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function appLabel(labels: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const key of appLabelKeys) {
    const value = labels[key];
    if (value !== undefined && names.includes(value)) return `${key}=${value}`;
  }
  return undefined;
}

/** Summaries are never changed, only replaced: a pod's answer holds as long as its summary. */
const podsGivingSignals = new WeakMap<ObjectSummary, boolean>();
const anyAppName = new Set(detectors.flatMap((detector) => detector.appNames));
/** Every detector's image expressions as one: a sync brings thousands of new pods, each tested once. */
const anyImage = new RegExp(detectors.flatMap((detector) => detector.images.map((re) => `(?:${re.source})`)).join('|'));

/** Whether a pod could give any detector a signal (its app label or an image): the others never do. */
function mayGiveSignal(pod: ObjectSummary): boolean {
  let gives = podsGivingSignals.get(pod);
  if (gives === undefined) {
    gives =
      appLabelKeys.some((key) => anyAppName.has(pod.labels[key])) ||
      (pod.images ?? []).some((image) => anyImage.test(image));
    podsGivingSignals.set(pod, gives);
  }
  return gives;
}

/**
 * Tier 2 fingerprinting of one Service: which signals say it is a Prometheus or a Grafana.
 * `podsInNamespace` may leave out pods that give no signal (see mayGiveSignal).
 */
export function detectService(
  service: ObjectSummary,
  podsInNamespace: readonly ObjectSummary[],
  customResourceNames: (typeKey: string, namespace: string) => readonly string[],
): { kind: Detector['kind']; signals: Signal[]; port: number | undefined } | undefined {
  const backing = podsInNamespace.filter((p) => selects(service.selector, p.labels));
  for (const detector of detectors) {
    const signals: Signal[] = [];
    const own = appLabel(service.labels, detector.appNames);
    if (own) signals.push({ type: 'label', detail: `service label ${own}`, strong: true });
    const podLabel = backing.map((p) => appLabel(p.labels, detector.appNames)).find(Boolean);
    if (podLabel && !own) signals.push({ type: 'label', detail: `pod label ${podLabel}`, strong: true });
    const image = backing.flatMap((p) => p.images ?? []).find((i) => detector.images.some((re) => re.test(i)));
    if (image) signals.push({ type: 'image', detail: `container image ${image}`, strong: true });
    const cr = customResourceNames(detector.customResource.typeKey, service.namespace).find((n) =>
      detector.customResource.serviceNames(n).includes(service.name),
    );
    if (cr) signals.push({ type: 'custom-resource', detail: `${detector.customResource.typeKey.split('/')[1]} ${service.namespace}/${cr}`, strong: true });
    const hasPort = service.ports?.includes(detector.port) ?? false;
    if (hasPort) signals.push({ type: 'port', detail: `port ${detector.port}`, strong: false });
    if (service.name.toLowerCase().includes(detector.kind)) signals.push({ type: 'name', detail: `name ${service.name}`, strong: false });
    const strong = signals.some((s) => s.strong);
    // A name alone (a look-alike) is never enough; name and the well-known port together are.
    if (strong || (hasPort && signals.some((s) => s.type === 'name'))) {
      return { kind: detector.kind, signals, port: hasPort ? detector.port : service.ports?.[0] };
    }
  }
  return undefined;
}

/**
 * Connection candidates of one cluster: the cluster itself, and every Service that is a
 * Prometheus or a Grafana by its signals, with the URLs it would be reached at.
 */
export function findCandidates(
  inventory: Inventory,
  clusterId: string,
  cluster: { server?: string; name?: string } = {},
  /** The cluster's pods that may give a signal, when the caller keeps them (CandidateFinder); else every pod is read. */
  signalPods?: Iterable<ObjectSummary>,
): ConnectionCandidate[] {
  return runAtOnce(candidateSteps(inventory, clusterId, cluster, signalPods));
}

/** How many Services (or pods) are read between two steps of a stepwise job. */
const objectsPerStep = 500;

/** findCandidates as steps (see runInTurns): it yields every objectsPerStep Services. */
function* candidateSteps(
  inventory: Inventory,
  clusterId: string,
  cluster: { server?: string; name?: string },
  signalPods: Iterable<ObjectSummary> | undefined,
): Generator<void, ConnectionCandidate[]> {
  const server = cluster.server;
  const candidates: ConnectionCandidate[] = [
    {
      kind: 'kubernetes',
      clusterId,
      name: cluster.name ?? clusterId,
      namespace: undefined,
      objectUid: undefined,
      signals: [{ type: 'kubeconfig', detail: server ? `API server ${server}` : 'kubeconfig context', strong: true }],
      urls: { server },
    },
  ];
  // Runs on every change of a busy cluster (on the extension host's thread): one pass over the
  // pods, keeping only the few that may give a signal, rather than matching every Service's
  // selector against every pod of its namespace.
  const podsByNamespace = groupByNamespace(signalPods ?? inventory.bucket(clusterId, '/pods')?.objects.values(), mayGiveSignal);
  const customResources = new Map<string, Map<string, ObjectSummary[]>>();
  const crNames = (typeKey: string, namespace: string) => {
    let byNamespace = customResources.get(typeKey);
    if (!byNamespace) customResources.set(typeKey, (byNamespace = groupByNamespace(inventory.bucket(clusterId, typeKey)?.objects.values())));
    return (byNamespace.get(namespace) ?? []).map((o) => o.name);
  };
  let read = 0;
  for (const service of inventory.bucket(clusterId, candidateObjectTypeKey)?.objects.values() ?? []) {
    if (++read % objectsPerStep === 0) yield;
    const found = detectService(service, podsByNamespace.get(service.namespace) ?? [], crNames);
    if (!found) continue;
    const port = found.port;
    const urls = serviceUrls(service, port);
    candidates.push({
      kind: found.kind,
      clusterId,
      name: service.name,
      namespace: service.namespace,
      objectUid: service.uid,
      signals: found.signals,
      port,
      urls: {
        inCluster: urls.inCluster,
        ...(urls.external ? { external: urls.external } : {}),
        proxyPath: `/api/v1/namespaces/${service.namespace}/services/${service.name}${port ? `:${port}` : ''}/proxy/`,
        server,
      },
    });
  }
  return candidates;
}

/**
 * findCandidates for a cluster that keeps changing: the pods that may give a signal are followed
 * change by change, so finding the candidates again reads those few, not every pod (22,000 of
 * them read once a second under churn: 6-12 ms each time, 20-50 on a busy extension host).
 */
export class CandidateFinder implements Disposable {
  /**
   * For each cluster asked about: its pods that may give a signal, and the pods changed since the
   * last find (undefined: gone), tested when asked: a sync commits a kind's 22,000 pods in one
   * turn, which must not also test each of them.
   */
  private readonly followed = new Map<string, { signal: Map<string, ObjectSummary>; changed: Map<string, ObjectSummary | undefined> }>();
  private readonly sink: Disposable;

  constructor(private readonly inventory: Inventory) {
    this.sink = inventory.addSink((mutation) => this.follow(mutation));
  }

  find(clusterId: string, cluster: { server?: string; name?: string } = {}): ConnectionCandidate[] {
    return runAtOnce(this.findSteps(clusterId, cluster));
  }

  /**
   * find, a few hundred objects a turn: the first sync of a large cluster brings 22,000 pods to
   * test and thousands of Services to read: 54-101 ms in one go in plain Node, more on a busy
   * extension host.
   */
  findInTurns(clusterId: string, cluster: { server?: string; name?: string } = {}): Promise<ConnectionCandidate[]> {
    return runInTurns(this.findSteps(clusterId, cluster));
  }

  private *findSteps(clusterId: string, cluster: { server?: string; name?: string }): Generator<void, ConnectionCandidate[]> {
    let pods = this.followed.get(clusterId);
    if (!pods) {
      // Followed from now on: a pod that changes while these are read is tested below.
      pods = { signal: new Map(), changed: new Map() };
      this.followed.set(clusterId, pods);
      let read = 0;
      try {
        for (const pod of this.inventory.bucket(clusterId, '/pods')?.objects.values() ?? []) {
          if (++read % objectsPerStep === 0) yield;
          if (mayGiveSignal(pod)) pods.signal.set(pod.uid, pod);
        }
      } catch (error) {
        // Half read: the next find starts over.
        this.followed.delete(clusterId);
        throw error;
      }
    }
    let read = 0;
    for (const [uid, pod] of pods.changed) {
      if (++read % objectsPerStep === 0) yield;
      pods.changed.delete(uid);
      if (pod && mayGiveSignal(pod)) pods.signal.set(uid, pod);
      else pods.signal.delete(uid);
    }
    return yield* candidateSteps(this.inventory, clusterId, cluster, pods.signal.values());
  }

  dispose(): void {
    this.sink.dispose();
    this.followed.clear();
  }

  private follow(mutation: InventoryMutation): void {
    if (mutation.type.group !== '' || mutation.type.resource !== 'pods') return;
    const pods = this.followed.get(mutation.clusterId);
    if (!pods) return;
    if (mutation.op === 'dropType') this.followed.delete(mutation.clusterId);
    else if (mutation.op === 'delete') pods.changed.set(mutation.uid, undefined);
    else pods.changed.set(mutation.object.uid, mutation.object);
  }
}

function groupByNamespace(objects: Iterable<ObjectSummary> | undefined, keep: (o: ObjectSummary) => boolean = () => true): Map<string, ObjectSummary[]> {
  const byNamespace = new Map<string, ObjectSummary[]>();
  for (const o of objects ?? []) {
    if (!keep(o)) continue;
    const list = byNamespace.get(o.namespace);
    if (list) list.push(o);
    else byNamespace.set(o.namespace, [o]);
  }
  return byNamespace;
}
