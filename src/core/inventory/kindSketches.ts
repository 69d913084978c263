import { Disposable } from '../common/disposable';
import { resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';
import { Inventory, InventoryMutation } from './inventory';

/** Kinds smaller than this are searched object by object: a sketch would cost more than it saves. */
export const sketchedKindSize = 500;
/** Bits per bitmap (8 KB): four-character sequences hashed into it, so a few collide. */
const bitmapBits = 1 << 16;
/**
 * How many characters in a row make a sequence (the walks below read them four at a time). With
 * three, a pasted pod name let most blocks of 22,510 simulated pods through (their digits and
 * hexadecimal hashes put nearly every three-character sequence of such a name in every block):
 * 12,000-15,000 pods were tested instead of the 700 of one block.
 */
const sequenceLength = 4;
/** About this many objects share a bitmap, so a bitmap stays sparse and tells them apart. */
const objectsPerBlock = 512;
const maxBlocks = 64;
/** How long one slice of building sketches may hold the thread before it yields. */
const sliceMs = 4;

/**
 * Which of a kind's objects may hold a text: none, all, or some (the others certainly do not
 * hold it).
 */
export type Holders = 'none' | 'all' | SomeHolders;

/** The objects of the blocks that may hold a text. */
export interface SomeHolders {
  has(uid: string): boolean;
  /** Their uids, block by block: a kind's other objects need not even be visited. */
  readonly uids: Iterable<string>;
  /** How many uids there are. */
  readonly size: number;
}

/**
 * For each large kind, the four-character sequences its objects' names, namespaces and labels
 * hold (ignoring ASCII case), as bitmaps: a text filter skips every object whose bitmap lacks one
 * of the text's sequences without testing it. A kind's objects are split by their uid into
 * blocks of about 512, a bitmap each, so pasting a pod's name tests the few pods of the blocks
 * that may hold it: not the other kinds' objects, and not most pods.
 *
 * A bitmap only ever grows (a deleted object's sequences stay), so it may let objects be tested
 * for nothing, never hide one that holds the text. Each block also lists its objects' uids, so
 * a filter visits the objects of the blocks that may hold the text and no others (hashing every
 * pod's uid to find its block took longer than testing the few pods left). Kept up to date from the inventory's
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
    if (!sketch || text.length < sequenceLength || !/^[\x00-\x7f]*$/.test(text)) return 'all';
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
    if (mutation.op === 'delete') {
      this.ready.get(key)?.removeObject(mutation.uid);
      this.building.get(key)?.removeObject(mutation.uid);
      return;
    }
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

/**
 * FNV-1a over the uid's last 12 characters: every change of a large kind asks it, and so does a
 * filter narrowed from the one before, for each object of the earlier list. Kubernetes uids are
 * random UUIDs, so their ends spread the objects evenly; the whole 36 characters cost three times
 * as much for nothing.
 */
function blockOf(uid: string, blockCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, uid.length - 12); i < uid.length; i++) hash = Math.imul(hash ^ uid.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (blockCount - 1);
}

/** ASCII letters folded to lowercase; every non-ASCII character is one symbol. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code > 127 ? 128 : code;
}

/** A bit for four folded characters in a row (each below 256): the packed codes, mixed. */
function hash(a: number, b: number, c: number, d: number): number {
  return Math.imul((a << 24) | (b << 16) | (c << 8) | d, 0x9e3779b1) >>> 16;
}

/**
 * The bits of the text's four-character sequences: the walk of `addSequences`, kept apart from
 * it because a callback shared by both made building sketches 20-30% slower (the soundness test
 * fails if the two ever disagree).
 */
function sequencesOf(text: string): number[] {
  const bits: number[] = [];
  let a = fold(text.charCodeAt(0));
  let b = fold(text.charCodeAt(1));
  let c = fold(text.charCodeAt(2));
  for (let i = 3; i < text.length; i++) {
    const d = fold(text.charCodeAt(i));
    bits.push(hash(a, b, c, d));
    a = b;
    b = c;
    c = d;
  }
  return bits;
}

/** A kind's bitmaps, one per block of its objects, and the uids each block holds. */
class Sketch {
  private readonly blocks: Block[];
  private readonly members: Set<string>[];

  constructor(readonly blockCount: number) {
    this.blocks = Array.from({ length: blockCount }, () => new Block());
    this.members = Array.from({ length: blockCount }, () => new Set<string>());
  }

  addObject(object: ObjectSummary): void {
    const block = this.blockFor(object.uid);
    this.blocks[block].addObject(object);
    this.members[block].add(object.uid);
  }

  /** The object is gone: its block no longer lists it (its sequences stay in the bitmap). */
  removeObject(uid: string): void {
    this.members[this.blockFor(uid)].delete(uid);
  }

  /** One block needs no hash. */
  private blockFor(uid: string): number {
    return this.blockCount === 1 ? 0 : blockOf(uid, this.blockCount);
  }

  /** Which objects may hold the (ASCII, sequenceLength characters or more) text. */
  holders(text: string): Holders {
    const sequences = sequencesOf(text);
    const allowed = this.blocks.map((block) => block.holdsAll(sequences));
    if (allowed.every(Boolean)) return 'all';
    if (!allowed.some(Boolean)) return 'none';
    const blockCount = this.blockCount;
    const members = this.members;
    return {
      has: (uid) => allowed[blockOf(uid, blockCount)],
      size: members.reduce((n, uids, block) => (allowed[block] ? n + uids.size : n), 0),
      uids: {
        *[Symbol.iterator]() {
          for (let block = 0; block < blockCount; block++) if (allowed[block]) yield* members[block];
        },
      },
    };
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
      addAcrossEquals(this.bits, key, value);
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

/** Sets the bit of each four characters in a row of the text. */
function addSequences(bits: Uint8Array, text: string): void {
  if (text.length < sequenceLength) return;
  let a = fold(text.charCodeAt(0));
  let b = fold(text.charCodeAt(1));
  let c = fold(text.charCodeAt(2));
  for (let i = 3; i < text.length; i++) {
    const d = fold(text.charCodeAt(i));
    setBit(bits, hash(a, b, c, d));
    a = b;
    b = c;
    c = d;
  }
}

/**
 * Sets the bits of the sequences of "key=value" that hold its "=" (those the key and value are
 * long enough for), reading the characters where they are rather than joining the two.
 */
function addAcrossEquals(bits: Uint8Array, key: string, value: string): void {
  const keyLength = key.length;
  const end = keyLength + 1 + value.length;
  const at = (i: number) => fold(i < keyLength ? key.charCodeAt(i) : i === keyLength ? equals : value.charCodeAt(i - keyLength - 1));
  for (let start = Math.max(0, keyLength - 3); start <= keyLength && start + sequenceLength <= end; start++) {
    setBit(bits, hash(at(start), at(start + 1), at(start + 2), at(start + 3)));
  }
}

function setBit(bits: Uint8Array, bit: number): void {
  bits[bit >> 3] |= 1 << (bit & 7);
}
