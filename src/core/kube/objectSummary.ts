import { ResourceType } from './apiDiscovery';
import { MemberShape } from './listBody';
import { sharedStrings } from './sharedStrings';

/** The label that marks objects this extension created (greenfield); all others are brownfield. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'meshery-vscode';

/** What the inventory keeps of an object: what the views and fingerprinting need, not the object. */
export interface ObjectSummary {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: string;
  readonly createdAt: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly greenfield: boolean;
  /** Fingerprinting inputs read from the spec of the few kinds that need it. */
  readonly images?: readonly string[];
  readonly ports?: readonly number[];
  /** A Service's pod selector: which pods (and so which images) stand behind it. */
  readonly selector?: Readonly<Record<string, string>>;
  /** A Service's ports that speak TLS (named https, appProtocol https, or 443): its URL takes https. */
  readonly httpsPorts?: readonly number[];
  /** A Service's address outside the cluster (load-balancer ingress or external IP), reachable from the IDE. */
  readonly externalAddress?: string;
}

/** Annotations that are large and of no use to the views (kubectl's copy of the whole object). */
const droppedAnnotations = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/**
 * A Secret's annotations may hold its values (kubectl's last-applied copy holds them all,
 * base64): only these, which say which service account a token is for, are kept.
 */
export const secretAnnotationsShown: ReadonlySet<string> = new Set(['kubernetes.io/service-account.name', 'kubernetes.io/service-account.uid']);

export function isSecretType(type: Pick<ResourceType, 'group' | 'resource'>): boolean {
  return type.group === '' && type.resource === 'secrets';
}

/** Only the allowed keys of an annotation map. */
export function onlyAnnotations(value: unknown, allowed: ReadonlySet<string>): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => allowed.has(k)).map(([k, v]) => [k, String(v)]));
}

/**
 * Kinds whose spec carries fingerprinting signals (container images, service ports); every other
 * type is listed and watched as metadata only, which the server sends far smaller.
 */
export function needsSpec(type: Pick<ResourceType, 'group' | 'resource'>): boolean {
  return (
    (type.group === '' && (type.resource === 'services' || type.resource === 'pods')) ||
    (type.group === 'apps' && ['deployments', 'statefulsets', 'daemonsets'].includes(type.resource)) ||
    type.group === 'monitoring.coreos.com' ||
    type.group === 'grafana.integreatly.org'
  );
}

const empty: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Label and annotation maps are taken over from the parsed object as they are (the API server
 * sends only strings there) instead of copied: at 100,000 objects the copies cost more than the
 * parse. Their values are shared (sharedStrings). A map that holds a dropped key is copied
 * without it instead: deleting a property turns an object into a hash table, several times its size.
 */
function stringMap(value: unknown, drop?: Set<string>): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return empty;
  const map = value as Record<string, unknown>;
  let dropping = false;
  for (const key in map) {
    if (drop?.has(key)) dropping = true;
    else map[key] = sharedStrings.share(typeof map[key] === 'string' ? (map[key] as string) : String(map[key]));
  }
  if (!dropping) return map as Record<string, string>;
  const kept: Record<string, string> = {};
  let any = false;
  for (const key in map) {
    if (drop?.has(key)) continue;
    kept[key] = map[key] as string;
    any = true;
  }
  return any ? kept : empty;
}

function containerImages(podSpec: unknown): string[] {
  const spec = (podSpec ?? {}) as { containers?: { image?: string }[]; initContainers?: { image?: string }[] };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
    .map((c) => c.image)
    .filter((i): i is string => typeof i === 'string')
    .map((i) => sharedStrings.share(i));
}

/**
 * Reduces an object to its summary. Secrets (`secret`: the type is known even when a list item
 * in metadata form does not say its kind) never keep data, stringData or annotations beyond
 * secretAnnotationsShown; managedFields are dropped, and so is everything else the inventory
 * does not need. `kind` is the type's: the items of a real server's list of a built-in type have
 * no kind of their own (kubernetes/kubernetes#3030), a watch event's object has.
 */
export function summarize(object: Record<string, unknown>, secret = false, kind = object.kind): ObjectSummary | undefined {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const uid = metadata.uid;
  const name = metadata.name;
  if (typeof uid !== 'string' || typeof name !== 'string') {
    return undefined;
  }
  const labels = stringMap(metadata.labels);
  const summary: { -readonly [K in keyof ObjectSummary]: ObjectSummary[K] } = {
    uid,
    name,
    namespace: typeof metadata.namespace === 'string' ? sharedStrings.share(metadata.namespace) : '',
    resourceVersion: String(metadata.resourceVersion ?? ''),
    createdAt: typeof metadata.creationTimestamp === 'string' ? metadata.creationTimestamp : undefined,
    labels,
    annotations: secret ? onlyAnnotations(metadata.annotations, secretAnnotationsShown) : stringMap(metadata.annotations, droppedAnnotations),
    greenfield: labels[managedByLabel] === managedByValue,
  };
  const spec = object.spec as Record<string, unknown> | undefined;
  if (spec && !secret && kind !== 'Secret') {
    const template = (spec.template as { spec?: unknown } | undefined)?.spec;
    const images = [...containerImages(spec), ...containerImages(template)];
    if (images.length) summary.images = images;
    const ports = [
      ...((spec.ports as { port?: number; containerPort?: number }[] | undefined) ?? []).map((p) => p.port ?? p.containerPort),
      ...((spec.containers as { ports?: { containerPort?: number }[] }[] | undefined) ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
    ].filter((p): p is number => typeof p === 'number');
    if (ports.length) summary.ports = ports;
    if (kind === 'Service') Object.assign(summary, serviceFacts(spec, object.status));
  }
  return summary;
}

/**
 * What of an object summarize reads (its metadata is always read). A list's items are parsed
 * with this only (readListBody's `keep`): a running pod's status (its conditions, each
 * container's state and image digest: about 1.1 KB), its volumes, tolerations, probes and
 * environment, or a Deployment's, are bytes the inventory never keeps. The kinds not in
 * needsSpec are listed as metadata only.
 */
export function summarizedMembers(kind: string): MemberShape {
  return kind === 'Service' ? serviceMembers : objectMembers;
}

const containerMembers: MemberShape = { image: true, ports: { containerPort: true } };
const podSpecMembers: MemberShape = { containers: containerMembers, initContainers: containerMembers };
const specMembers: MemberShape = { ...podSpecMembers, ports: true, template: { spec: podSpecMembers } };
const objectMembers: MemberShape = { spec: specMembers };
const serviceMembers: MemberShape = { spec: { ...specMembers, selector: true, externalIPs: true }, status: { loadBalancer: true } };

/** A summary read back from the inventory's files, its repeated strings shared as summarize shares them. */
export function withSharedStrings(value: ObjectSummary): ObjectSummary {
  const summary = value as { -readonly [K in keyof ObjectSummary]: ObjectSummary[K] };
  if (typeof summary.namespace === 'string') summary.namespace = sharedStrings.share(summary.namespace);
  summary.labels = stringMap(summary.labels);
  summary.annotations = stringMap(summary.annotations);
  if (Array.isArray(summary.images)) summary.images = summary.images.map((i) => (typeof i === 'string' ? sharedStrings.share(i) : i));
  return summary;
}

type ServicePort = { port?: number; name?: string; appProtocol?: string };

/** What a Service's spec and status say about how to reach it: selector, TLS ports, outside address. */
function serviceFacts(spec: Record<string, unknown>, status: unknown): Partial<ObjectSummary> {
  const facts: { -readonly [K in keyof ObjectSummary]?: ObjectSummary[K] } = {};
  if (spec.selector && typeof spec.selector === 'object') facts.selector = stringMap(spec.selector);
  const ports = Array.isArray(spec.ports) ? (spec.ports as ServicePort[]) : [];
  const https = ports
    .filter((p) => typeof p.port === 'number' && (p.port === 443 || /^https$/i.test(p.name ?? '') || /^https$/i.test(p.appProtocol ?? '')))
    .map((p) => p.port as number);
  if (https.length) facts.httpsPorts = https;
  const ingress = (status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress?.[0];
  const external = ingress?.ip ?? ingress?.hostname ?? (Array.isArray(spec.externalIPs) ? (spec.externalIPs as unknown[])[0] : undefined);
  if (typeof external === 'string' && external) facts.externalAddress = external;
  return facts;
}
