import { Disposable } from '../common/disposable';
import { resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';
import { Inventory, InventoryMutation } from './inventory';

/** Kinds smaller than this are searched object by object: a sketch would cost more than it saves. */
export const sketchedKindSize = 500;
/** Bits per sketch (8 KB): three-character sequences hashed into it, so a few collide. */
const sketchBits = 1 << 16;
/** How long one slice of building sketches may hold the thread before it yields. */
const sliceMs = 4;

/**
 * For each large kind, the set of three-character sequences its objects' names, namespaces and
 * labels hold (ignoring ASCII case), as a bitmap: a text filter skips every kind that lacks one of
 * the text's sequences without testing its objects. Pasting a pod's name then tests the pods
 * only, not the other 100,000 objects of the cluster.
 *
 * A sketch only ever grows (a deleted object's sequences stay), so it may say a kind holds a text
 * it does not (the objects are then tested), never the reverse. Kept up to date from the
 * inventory's mutations; built in slices of a few milliseconds, so a kind is only skipped once
 * its sketch is whole.
 */
export class KindSketches implements Disposable {
  private readonly ready = new Map<string, Sketch>();
  private readonly building = new Map<string, Sketch>();
  private scheduled: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly sink: Disposable;

  constructor(
    private readonly inventory: Inventory,
    private readonly minimumSize = sketchedKindSize,
  ) {
    this.sink = inventory.addSink((mutation) => this.onMutation(mutation));
    this.scheduleBuild();
  }

  /**
   * False when no object of the kind can hold the text (case ignored for ASCII); true when some
   * may, or when the kind has no sketch (yet) to tell.
   */
  mayHold(clusterId: string, typeKey: string, text: string): boolean {
    const sketch = this.ready.get(sketchKey(clusterId, typeKey));
    // Outside ASCII, case-insensitive matching and this folding need not agree: nothing is skipped.
    return !sketch || !/^[\x00-\x7f]*$/.test(text) || sketch.mayHold(text);
  }

  /** Whether every large kind has its sketch (for tests and measures). */
  get complete(): boolean {
    return this.building.size === 0 && this.scheduled === undefined && this.missingKinds().length === 0;
  }

  dispose(): void {
    this.disposed = true;
    this.sink.dispose();
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    this.ready.clear();
    this.building.clear();
  }

  private onMutation(mutation: InventoryMutation): void {
    const key = sketchKey(mutation.clusterId, resourceTypeKey(mutation.type));
    if (mutation.op === 'dropType') {
      this.ready.delete(key);
      this.building.delete(key);
      return;
    }
    if (mutation.op !== 'upsert') return;
    const sketch = this.ready.get(key) ?? this.building.get(key);
    if (sketch) sketch.addObject(mutation.object);
    else if ((this.inventory.bucket(mutation.clusterId, resourceTypeKey(mutation.type))?.objects.size ?? 0) >= this.minimumSize) this.scheduleBuild();
  }

  private scheduleBuild(): void {
    if (this.disposed || this.scheduled || this.building.size > 0) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.buildMissing();
    }, 0);
    this.scheduled.unref?.();
  }

  private missingKinds(): { clusterId: string; typeKey: string }[] {
    const missing: { clusterId: string; typeKey: string }[] = [];
    for (const clusterId of this.inventory.clusterIds()) {
      for (const bucket of this.inventory.buckets(clusterId)) {
        const typeKey = resourceTypeKey(bucket.type);
        if (bucket.objects.size >= this.minimumSize && !this.ready.has(sketchKey(clusterId, typeKey))) missing.push({ clusterId, typeKey });
      }
    }
    return missing;
  }

  /**
   * Builds the sketches of large kinds that have none, yielding every few milliseconds. Objects
   * upserted meanwhile are added as they come (the inventory calls the sink), so a sketch is
   * whole when its pass over the kind ends.
   */
  private async buildMissing(): Promise<void> {
    for (const { clusterId, typeKey } of this.missingKinds()) {
      const key = sketchKey(clusterId, typeKey);
      const sketch = new Sketch();
      this.building.set(key, sketch);
      let sliceStart = performance.now();
      let added = 0;
      for (const object of this.inventory.bucket(clusterId, typeKey)?.objects.values() ?? []) {
        sketch.addObject(object);
        // The clock is read every 64 objects (about 0.1 ms of work).
        if ((++added & 63) === 0 && performance.now() - sliceStart > sliceMs) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (this.disposed) return;
          // The kind was dropped while this yielded.
          if (this.building.get(key) !== sketch) break;
          sliceStart = performance.now();
        }
      }
      if (this.building.get(key) !== sketch) continue;
      this.building.delete(key);
      this.ready.set(key, sketch);
    }
    // Kinds that grew past the size while this ran.
    if (this.missingKinds().length > 0) this.scheduleBuild();
  }
}

function sketchKey(clusterId: string, typeKey: string): string {
  return `${clusterId}\0${typeKey}`;
}

/** ASCII letters folded to lowercase; every non-ASCII character is one symbol. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code > 127 ? 128 : code;
}

function hash(a: number, b: number, c: number): number {
  return (a * 7919 + b * 131 + c) & (sketchBits - 1);
}

/** A kind's bitmap, with the namespaces, label keys and values already in it (they repeat). */
class Sketch {
  readonly bits = new Uint8Array(sketchBits / 8);
  private readonly added = new Set<string>();

  /**
   * Adds the sequences of the object's name, namespace and labels, each label as the filter
   * reads it ("key=value"): the key's and the value's own once per sketch, the few that cross
   * the "=" every time.
   */
  addObject(object: ObjectSummary): void {
    addSequences(this.bits, object.name);
    this.addOnce(object.namespace);
    const labels = object.labels;
    for (const key in labels) {
      const value = labels[key];
      this.addOnce(key);
      this.addOnce(value);
      // The three sequences across "=" (those the key and value are long enough for).
      const k2 = key.length > 1 ? fold(key.charCodeAt(key.length - 2)) : -1;
      const k1 = key.length > 0 ? fold(key.charCodeAt(key.length - 1)) : -1;
      const v0 = value.length > 0 ? fold(value.charCodeAt(0)) : -1;
      const v1 = value.length > 1 ? fold(value.charCodeAt(1)) : -1;
      if (k2 >= 0 && k1 >= 0) setBit(this.bits, hash(k2, k1, equals));
      if (k1 >= 0 && v0 >= 0) setBit(this.bits, hash(k1, equals, v0));
      if (v0 >= 0 && v1 >= 0) setBit(this.bits, hash(equals, v0, v1));
    }
  }

  /** False when one of the text's sequences is missing (the text is ASCII). */
  mayHold(text: string): boolean {
    if (text.length < 3) return true;
    let a = fold(text.charCodeAt(0));
    let b = fold(text.charCodeAt(1));
    for (let i = 2; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      const bit = hash(a, b, c);
      if ((this.bits[bit >> 3] & (1 << (bit & 7))) === 0) return false;
      a = b;
      b = c;
    }
    return true;
  }

  private addOnce(text: string): void {
    if (this.added.has(text)) return;
    // Values of one object only (a pod's hash) would fill the memory: past this many texts, the
    // rest are added each time.
    if (this.added.size < maxRemembered) this.added.add(text);
    addSequences(this.bits, text);
  }
}

const maxRemembered = 2_000;
const equals = 61;

/** Sets the bit of each three characters in a row of the text. */
function addSequences(bits: Uint8Array, text: string): void {
  if (text.length < 3) return;
  let a = fold(text.charCodeAt(0));
  let b = fold(text.charCodeAt(1));
  for (let i = 2; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    setBit(bits, hash(a, b, c));
    a = b;
    b = c;
  }
}

function setBit(bits: Uint8Array, bit: number): void {
  bits[bit >> 3] |= 1 << (bit & 7);
}
