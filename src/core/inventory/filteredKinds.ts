import { Disposable } from '../common/disposable';
import { resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';
import { Inventory, InventoryMutation, TypeBucket } from './inventory';
import { KindSketches } from './kindSketches';
import { ObjectFilter, narrows, objectMatcher } from './objectFilter';

/**
 * Each kind's objects that pass a filter, sorted by namespace and name, kept until the kind or
 * the filter changes: the cluster, model and kind rows of a tree all ask for counts, and a text
 * filter over 100,000 objects must be one pass, not one per row. A filter that narrows the one
 * before (a keystroke more) is answered from the lists it left, not from every object. A kind
 * of which few objects changed (a churning cluster) has its last list patched, not sorted anew.
 *
 * What is kept for patching is bounded: a kind nobody asks for (its view hidden while its
 * cluster churns) would otherwise hold its old list and every uid changed since, for hours.
 */
export class FilteredKinds implements Disposable {
  private lists = new Map<string, ObjectSummary[]>();
  /** Lists of the current filter whose kind changed since (forget), to be patched. */
  private stale = new Map<string, ObjectSummary[]>();
  /**
   * For each kind with a current or stale list: the objects changed since that list was made,
   * or 'many' once more did than patching pays for (the list is then made anew).
   */
  private changed = new Map<string, Set<string> | 'many'>();
  private readonly sink: Disposable;
  /** Lists of earlier filters that the current one narrows, for kinds not asked for since. */
  private wider = new Map<string, ObjectSummary[]>();
  private filter: ObjectFilter = {};
  private matcher: ((object: ObjectSummary) => boolean) | undefined;

  constructor(
    private readonly inventory: Inventory,
    /** Kinds that cannot hold a text are answered without testing their objects. */
    private readonly sketches?: Pick<KindSketches, 'holders'>,
  ) {
    this.sink = inventory.addSink((mutation) => this.noteChange(mutation));
  }

  dispose(): void {
    this.sink.dispose();
  }

  setFilter(filter: ObjectFilter): void {
    // Narrowing is transitive: lists of any earlier filter in a narrowing run stay supersets.
    this.wider = narrows(filter, this.filter) ? new Map([...this.wider, ...this.lists]) : new Map();
    this.lists = new Map();
    this.stale = new Map();
    this.changed = new Map();
    this.filter = filter;
    this.matcher = objectMatcher(filter);
  }

  /** The kind's objects changed. */
  forget(clusterId: string, typeKey: string): void {
    const key = listKey(clusterId, typeKey);
    const list = this.lists.get(key);
    if (list) {
      // A list too changed to patch is not kept for it.
      if (this.changed.get(key) === 'many') this.changed.delete(key);
      else this.stale.set(key, list);
    }
    this.lists.delete(key);
    this.wider.delete(key);
  }

  forgetAll(): void {
    this.lists.clear();
    this.wider.clear();
    this.stale.clear();
    this.changed.clear();
  }

  objects(clusterId: string, typeKey: string): ObjectSummary[] {
    const key = listKey(clusterId, typeKey);
    const cached = this.lists.get(key);
    if (cached) return cached;
    const bucket = this.inventory.bucket(clusterId, typeKey);
    if (!bucket) return [];
    const matches = this.matcher;
    const wider = this.wider.get(key);
    const stale = this.stale.get(key);
    const changed = this.changed.get(key) ?? new Set<string>();
    this.stale.delete(key);
    this.changed.delete(key);
    const text = this.filter.text?.trim();
    const holders = text && this.sketches ? this.sketches.holders(clusterId, typeKey, text) : 'all';
    // Objects the sketches say cannot hold the text are not tested.
    const some = holders !== 'all' && holders !== 'none' ? holders : undefined;
    const test = matches && some ? (object: ObjectSummary) => some.has(object.uid) && matches(object) : matches;
    let objects: ObjectSummary[];
    if (holders === 'none') {
      objects = [];
    } else if (wider && !(some && some.size < wider.length)) {
      // Already in order. (A list longer than the blocks that may hold the text, such as the
      // whole kind before a text was typed, is not used: the blocks' objects are fewer to visit.)
      objects = test ? wider.filter(test) : wider;
    } else if (stale && changed !== 'many' && changed.size <= patchLimit(stale)) {
      objects = patched(stale, changed, bucket, test);
    } else {
      if (matches && some) {
        // Only the objects of the blocks that may hold the text are visited.
        objects = [];
        for (const uid of some.uids) {
          const object = bucket.objects.get(uid);
          if (object && matches(object)) objects.push(object);
        }
      } else if (test) {
        objects = [];
        for (const object of bucket.objects.values()) if (test(object)) objects.push(object);
      } else {
        objects = [...bucket.objects.values()];
      }
      objects.sort(byNamespaceAndName);
    }
    this.wider.delete(key);
    this.lists.set(key, objects);
    return objects;
  }

  private noteChange(mutation: InventoryMutation): void {
    if (this.lists.size === 0 && this.stale.size === 0) return;
    const key = listKey(mutation.clusterId, resourceTypeKey(mutation.type));
    if (mutation.op === 'dropType') {
      this.stale.delete(key);
      this.changed.delete(key);
    } else {
      const list = this.lists.get(key) ?? this.stale.get(key);
      let uids = this.changed.get(key);
      if (!list || uids === 'many') return;
      if (!uids) this.changed.set(key, (uids = new Set()));
      uids.add(mutation.op === 'upsert' ? mutation.object.uid : mutation.uid);
      if (uids.size > patchLimit(list)) {
        // Too many to patch: a forgotten list goes at once, with what it gathered; the current
        // one stays until it is forgotten, and is not kept then.
        if (this.stale.delete(key)) this.changed.delete(key);
        else this.changed.set(key, 'many');
      }
    }
  }

  /** Objects and uids kept only to patch lists (for tests and measures): bounded by the lists' sizes. */
  get heldForPatching(): number {
    let held = 0;
    for (const list of this.stale.values()) held += list.length;
    for (const uids of this.changed.values()) if (uids !== 'many') held += uids.size;
    return held;
  }

  count(clusterId: string, typeKey: string): number {
    if (!this.matcher) return this.inventory.bucket(clusterId, typeKey)?.objects.size ?? 0;
    return this.objects(clusterId, typeKey).length;
  }
}

/** How many changed objects a list may be patched for: past that, sorting anew costs less. */
function patchLimit(list: readonly ObjectSummary[]): number {
  return list.length / 8;
}

function listKey(clusterId: string, typeKey: string): string {
  return `${clusterId}\0${typeKey}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Names and namespaces are DNS labels (lowercase ASCII): code-unit order is their order, and much
 * faster than localeCompare over 20,000 objects.
 */
function byNamespaceAndName(a: ObjectSummary, b: ObjectSummary): number {
  return compare(a.namespace, b.namespace) || compare(a.name, b.name);
}

/**
 * The kind's list after `changed` objects changed: the others stay where they were, the changed
 * ones that still exist (and pass `test`) are sorted among themselves and merged in. Linear in
 * the list, where sorting it anew compared strings 300,000 times for 22,000 pods.
 */
function patched(previous: readonly ObjectSummary[], changed: ReadonlySet<string>, bucket: TypeBucket, test: ((object: ObjectSummary) => boolean) | undefined): ObjectSummary[] {
  const added: ObjectSummary[] = [];
  for (const uid of changed) {
    const object = bucket.objects.get(uid);
    if (object && (!test || test(object))) added.push(object);
  }
  added.sort(byNamespaceAndName);
  const merged: ObjectSummary[] = [];
  let next = 0;
  for (const object of previous) {
    if (changed.has(object.uid)) continue;
    while (next < added.length && byNamespaceAndName(added[next], object) < 0) merged.push(added[next++]);
    merged.push(object);
  }
  while (next < added.length) merged.push(added[next++]);
  return merged;
}
