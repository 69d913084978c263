import { SimCluster } from './apiServer';
import { generatedObject, generatedWriters } from './scenarios';
import { pick, seededRandom } from './random';

export interface ChurnOptions {
  /** Changes per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly seed: number;
  /** Only these group/resource keys churn (default: every type that has objects). */
  readonly typeKeys?: readonly string[];
  /**
   * As many deletes as creates, so the cluster keeps its size however long it churns (a soak);
   * by default it grows (40% creates, 35% updates, 25% deletes), as a cluster being filled does.
   */
  readonly steady?: boolean;
}

export interface ChurnResult {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

/** Creates, updates and deletes objects at a steady rate, as a busy cluster does. */
export async function churn(cluster: SimCluster, options: ChurnOptions): Promise<ChurnResult> {
  const random = seededRandom(options.seed);
  const store = cluster.store;
  const types = store
    .servedTypes()
    .filter((t) => t.verbs.includes('list') && t.namespaced && (!options.typeKeys || options.typeKeys.includes(`${t.group}/${t.resource}`)))
    .filter((t) => t.resource !== 'namespaces' && t.resource !== 'customresourcedefinitions');
  const namespaces = store.list('/namespaces').map((n) => n.name);
  const result = { created: 0, updated: 0, deleted: 0 };
  // Our own pick lists per type (namespace, name), so a pick is O(1) even with 30,000 pods.
  const known = new Map(types.map((t) => [`${t.group}/${t.resource}`, store.list(`${t.group}/${t.resource}`).map((o) => [o.namespace, o.name] as [string, string])]));
  const [createBelow, updateBelow] = options.steady ? [0.3, 0.7] : [0.4, 0.75];
  const total = Math.round(options.rate * options.seconds);
  const started = Date.now();
  // Work in 10 ms ticks so the rate holds without a timer per change.
  for (let done = 0; done < total; ) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * options.rate) + 1);
    for (; done < due; done++) {
      const type = pick(random, types);
      const key = `${type.group}/${type.resource}`;
      const names = known.get(key)!;
      const roll = random();
      if (names.length === 0 || roll < createBelow) {
        const name = `churn-${type.kind.toLowerCase()}-${Date.now().toString(36)}-${done.toString(36)}`;
        const object = generatedObject(type, name, pick(random, namespaces), 'churn', random);
        stamp(object);
        const created = store.create(type, object, new Date(), generatedWriters(type));
        names.push([created.namespace, created.name]);
        result.created++;
        continue;
      }
      const index = Math.floor(random() * names.length);
      const [namespace, name] = names[index];
      const victim = store.get(key, namespace, name);
      if (!victim) {
        names.splice(index, 1);
        continue;
      }
      if (roll < updateBelow) {
        const object = JSON.parse(victim.json);
        object.metadata.labels = { ...(object.metadata.labels ?? {}), churn: String(done) };
        stamp(object);
        delete object.metadata.resourceVersion;
        store.update(type, object, [{ manager: 'kubectl-label' }]);
        result.updated++;
      } else {
        store.delete(type, victim.namespace, victim.name);
        names[index] = names[names.length - 1];
        names.pop();
        result.deleted++;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return result;
}

/** When the change was made, so a watcher can measure how long it took to reach it. */
export const churnTimestampAnnotation = 'meshery.io/churn-at';

function stamp(object: { metadata?: Record<string, unknown> }): void {
  const metadata = (object.metadata ??= {});
  metadata.annotations = { ...((metadata.annotations as Record<string, string>) ?? {}), [churnTimestampAnnotation]: String(Date.now()) };
}
