import { SimCluster } from './apiServer';
import { generatedObject } from './scenarios';
import { pick, seededRandom } from './random';

export interface ChurnOptions {
  /** Changes per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly seed: number;
  /** Only these group/resource keys churn (default: every type that has objects). */
  readonly typeKeys?: readonly string[];
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
  const total = Math.round(options.rate * options.seconds);
  const started = Date.now();
  // Work in 10 ms ticks so the rate holds without a timer per change.
  for (let done = 0; done < total; ) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * options.rate) + 1);
    for (; done < due; done++) {
      const type = pick(random, types);
      const key = `${type.group}/${type.resource}`;
      const existing = store.list(key);
      const roll = random();
      if (existing.length === 0 || roll < 0.4) {
        const name = `churn-${type.kind.toLowerCase()}-${Date.now().toString(36)}-${done.toString(36)}`;
        store.create(type, generatedObject(type, name, pick(random, namespaces), 'churn', random));
        result.created++;
      } else if (roll < 0.75) {
        const victim = pick(random, existing);
        const object = JSON.parse(victim.json);
        object.metadata.labels = { ...(object.metadata.labels ?? {}), churn: String(done) };
        delete object.metadata.resourceVersion;
        store.update(type, object);
        result.updated++;
      } else {
        const victim = pick(random, existing);
        store.delete(type, victim.namespace, victim.name);
        result.deleted++;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return result;
}
