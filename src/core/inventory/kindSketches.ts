import { Disposable } from '../common/disposable';
import { resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';
import { Inventory, InventoryMutation } from './inventory';

/** Kinds smaller than this are searched object by object: a sketch would cost more than it saves. */
export const sketchedKindSize = 500;
/** Bits per bitmap (8 KB): three-character sequences hashed into it, so a few collide. */
const bitmapBits = 1 << 16;
/** About this many objects share a bitmap, so a bitmap stays sparse and tells them apart. */
const objectsPerBlock = 512;
const maxBlocks = 64;
/** How long one slice of building sketches may hold the thread before it yields. */
const sliceMs = 4;

/**
 * Which of a kind's objects may hold a text: none, all, or those whose uid the test lets through
 * (the others certainly do not hold it).
 */
export type Holders = 'none' | 'all' | ((uid: string) => boolean);

/**
 * For each large kind, the three-character sequences its objects' names, namespaces and labels
 * hold (ignoring ASCII case), as bitmaps: a text filter skips every object whose bitmap lacks one
 * of the text's sequences without testing it. A kind's objects are split by their uid into
 * blocks of about 512, a bitmap each, so pasting a pod's name tests the few pods of the blocks
 * that may hold it: not the other kinds' objects, and not most pods.
 *
 * A bitmap only ever grows (a deleted object's sequences stay), so it may let objects be tested
 * for nothing, never hide one that holds the text. Kept up to date from the inventory's
 * mutations; built in slices of a few milliseconds, so a kind is only skipped once its sketch
 * is whole. A kind that grows to twice the size its sketch was made for gets a new one, with
 * more blocks.
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

  /** Which of the kind's objects may hold the text (all of them while the kind has no sketch to tell). */
  holders(clusterId: string, typeKey: string, text: string): Holders {
    const sketch = this.ready.get(sketchKey(clusterId, typeKey));
    // Outside ASCII, case-insensitive matching and this folding need not agree: nothing is skipped.
    if (!sketch || text.length < 3 || !/^[\x00-\x7f]*$/.test(text)) return 'all';
    return sketch.holders(text);
  }

  /** False when no object of the kind can hold the text. */
  mayHold(clusterId: string, typeKey: string, text: string): boolean {
    return this.holders(clusterId, typeKey, text) !== 'none';
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
    const typeKey = resourceTypeKey(mutation.type);
    const key = sketchKey(mutation.clusterId, typeKey);
    if (mutation.op === 'dropType') {
      this.ready.delete(key);
      this.building.delete(key);
      return;
    }
    if (mutation.op !== 'upsert') return;
    // A sketch being made anew must hold what changes meanwhile, as must the one still in use.
    this.ready.get(key)?.addObject(mutation.object);
    this.building.get(key)?.addObject(mutation.object);
    const size = this.inventory.bucket(mutation.clusterId, typeKey)?.objects.size ?? 0;
    if (size >= this.minimumSize && this.needsSketch(key, size)) this.scheduleBuild();
  }

  /** No sketch, or one made for a kind less than half its size now. */
  private needsSketch(key: string, size: number): boolean {
    const sketch = this.ready.get(key);
    return !sketch || sketch.blockCount * 2 <= blocksFor(size);
  }

  private scheduleBuild(): void {
    if (this.disposed || this.scheduled || this.building.size > 0) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.buildMissing();
    }, 0);
    this.scheduled.unref?.();
  }

  private missingKinds(): { clusterId: string; typeKey: string; size: number }[] {
    const missing: { clusterId: string; typeKey: string; size: number }[] = [];
    for (const clusterId of this.inventory.clusterIds()) {
      for (const bucket of this.inventory.buckets(clusterId)) {
        const typeKey = resourceTypeKey(bucket.type);
        const size = bucket.objects.size;
        if (size >= this.minimumSize && this.needsSketch(sketchKey(clusterId, typeKey), size)) missing.push({ clusterId, typeKey, size });
      }
    }
    return missing;
  }

  /**
   * Builds the sketches of large kinds that need one, yielding every few milliseconds. Objects
   * upserted meanwhile are added as they come (the inventory calls the sink), so a sketch is
   * whole when its pass over the kind ends.
   */
  private async buildMissing(): Promise<void> {
    for (const { clusterId, typeKey, size } of this.missingKinds()) {
      const key = sketchKey(clusterId, typeKey);
      const sketch = new Sketch(blocksFor(size));
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
    // Kinds that grew while this ran.
    if (this.missingKinds().length > 0) this.scheduleBuild();
  }
}

function sketchKey(clusterId: string, typeKey: string): string {
  return `${clusterId}\0${typeKey}`;
}

/** A power of two, so an object's block is its uid's hash masked. */
function blocksFor(size: number): number {
  let blocks = 1;
  while (blocks < maxBlocks && blocks * objectsPerBlock * 2 <= size) blocks *= 2;
  return blocks;
}

/** FNV-1a over the uid's characters: uids are random, so blocks fill evenly. */
function blockOf(uid: string, blockCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) hash = Math.imul(hash ^ uid.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (blockCount - 1);
}

/** ASCII letters folded to lowercase; every non-ASCII character is one symbol. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code > 127 ? 128 : code;
}

function hash(a: number, b: number, c: number): number {
  return (a * 7919 + b * 131 + c) & (bitmapBits - 1);
}

/**
 * The bits of the text's three-character sequences: the walk of `addSequences`, kept apart from
 * it because a callback shared by both made building sketches 20-30% slower (the soundness test
 * fails if the two ever disagree).
 */
function sequencesOf(text: string): number[] {
  const bits: number[] = [];
  let a = fold(text.charCodeAt(0));
  let b = fold(text.charCodeAt(1));
  for (let i = 2; i < text.length; i++) {
    const c = fold(text.charCodeAt(i));
    bits.push(hash(a, b, c));
    a = b;
    b = c;
  }
  return bits;
}

/** A kind's bitmaps, one per block of its objects. */
class Sketch {
  private readonly blocks: Block[];

  constructor(readonly blockCount: number) {
    this.blocks = Array.from({ length: blockCount }, () => new Block());
  }

  addObject(object: ObjectSummary): void {
    this.blocks[this.blockCount === 1 ? 0 : blockOf(object.uid, this.blockCount)].addObject(object);
  }

  /** Which objects may hold the (ASCII, 3 characters or more) text. */
  holders(text: string): Holders {
    const sequences = sequencesOf(text);
    const allowed = this.blocks.map((block) => block.holdsAll(sequences));
    if (allowed.every(Boolean)) return 'all';
    if (!allowed.some(Boolean)) return 'none';
    const blockCount = this.blockCount;
    return (uid) => allowed[blockOf(uid, blockCount)];
  }
}

/** One bitmap, with the namespaces, label keys and values already in it (they repeat). */
class Block {
  readonly bits = new Uint8Array(bitmapBits / 8);
  private readonly added = new Set<string>();

  /**
   * Adds the sequences of the object's name, namespace and labels, each label as the filter
   * reads it ("key=value"): the key's and the value's own once per bitmap, the few that cross
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

  holdsAll(sequences: readonly number[]): boolean {
    for (const bit of sequences) if ((this.bits[bit >> 3] & (1 << (bit & 7))) === 0) return false;
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

const maxRemembered = 256;
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
