import { nextTurn } from '../common/turns';

/**
 * A list answer, read without parsing it whole: the envelope (kind, metadata with the continue
 * token) at once, the items a slice of bytes at a time.
 *
 * Why: JSON.parse of a 500-pod page is one uninterruptible piece of work, and while its objects
 * are being summarized they are all alive, so every scavenge the garbage collector makes then
 * copies the whole parsed page. Pages of 100 objects halve the extension host's worst stalls but
 * cost five times the round trips, which a distant cluster feels (22,000 pods: 225 requests in a
 * row instead of 45). Slicing keeps 500 per request and parses about as much per turn as 100.
 * Finding the items' bounds pauses as often: a page's first scan runs cold (not yet compiled by
 * V8), and 444 KB of pods scanned in one go held a busy extension host for 140-150 ms.
 */
export interface ListBody {
  /** The answer without its items (`items` is an empty array when the answer had one). */
  readonly envelope: Record<string, unknown>;
  /** How many slices of items there are to parse. */
  readonly sliceCount: number;
  /** Parses one slice of items (in order; each once). The unchanged items are not among them. */
  slice(index: number): unknown[];
  /** What `unchanged` gave for the items it knew, in their stead (they are not parsed). */
  readonly unchanged: readonly unknown[];
}

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const comma = 0x2c;
const colon = 0x3a;

/**
 * The members of an object to parse: `true` for the whole value, a shape of its own for an object
 * (or for each object of an array) whose members are chosen in turn. Members not named are left
 * out before the parse.
 */
export type MemberShape = { readonly [member: string]: true | MemberShape };

export interface ListBodyOptions {
  /** Awaited after scanning each `sliceBytes` of items. */
  readonly pause?: () => Promise<void>;
  /**
   * What of each item to parse: its metadata always (without managedFields), and of its other
   * members only what the shape names. Everything but managedFields when not given.
   */
  readonly keep?: MemberShape;
  /**
   * Asked of each item whose metadata has a uid and a resourceVersion (as plain strings): a
   * value to stand in for it, or undefined to parse it. A re-list (after a 410, an error,
   * "Discover Now", at startup over the restored inventory) finds most objects as the inventory
   * holds them: only their uid and resourceVersion are read, the rest of their bytes is skipped.
   */
  readonly unchanged?: (uid: string, resourceVersion: string) => unknown;
}

/**
 * The text of body[from, to) without the stretches `cuts` lists (pairs of offsets, in order),
 * those before `firstCut` (an index into cuts) excepted.
 */
export function withoutCuts(body: Buffer, from: number, to: number, cuts: readonly number[], firstCut = 0): string {
  let text = '';
  let at = from;
  for (let c = firstCut; c < cuts.length && cuts[c] < to; c += 2) {
    text += body.toString('utf8', at, cuts[c]);
    at = cuts[c + 1];
  }
  return text + body.toString('utf8', at, to);
}

/** A MemberShape with its keys as the bytes they are in an answer (quoted). */
export interface ByteShape {
  readonly keys: readonly Buffer[];
  /** For each key, the shape of its value, or undefined to keep it whole. */
  readonly inner: readonly (ByteShape | undefined)[];
}

const byteShapes = new WeakMap<MemberShape, ByteShape>();

export function byteShape(shape: MemberShape): ByteShape {
  let compiled = byteShapes.get(shape);
  if (!compiled) {
    const entries = Object.entries(shape);
    compiled = { keys: entries.map(([key]) => Buffer.from(JSON.stringify(key))), inner: entries.map(([, value]) => (value === true ? undefined : byteShape(value))) };
    byteShapes.set(shape, compiled);
  }
  return compiled;
}

/**
 * Splits a list answer's `items` into slices of about `sliceBytes` each, pausing after scanning
 * each such stretch. An answer this reader does not follow (it is not an object, its JSON is
 * broken) is parsed whole, so the caller gets JSON.parse's verdict on it.
 */
export async function readListBody(body: Buffer, sliceBytes: number, options: ListBodyOptions = {}): Promise<ListBody> {
  let layout: ItemsLayout | undefined;
  try {
    layout = await scanItems(body, sliceBytes, options.pause ?? nextTurn, options.keep && byteShape(options.keep), options.unchanged);
  } catch {
    layout = undefined;
  }
  if (!layout) return whole(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
  const { itemsStart, itemsEnd, items, cuts, standIns } = layout;
  const envelope = JSON.parse(body.toString('utf8', 0, itemsStart) + '[]' + body.toString('utf8', itemsEnd)) as Record<string, unknown>;
  // A slice is the items to parse from one to another, about sliceBytes of them (the unchanged
  // ones are not parsed, so they do not count), and where their cuts begin.
  const slices: { firstItem: number; endItem: number; firstCut: number; bytes: number }[] = [];
  let cut = 0;
  for (let k = 0; k < items.length; k += 2) {
    const last = slices[slices.length - 1];
    if (!last || last.bytes >= sliceBytes) slices.push({ firstItem: k, endItem: k + 2, firstCut: cut, bytes: 0 });
    const current = slices[slices.length - 1];
    current.endItem = k + 2;
    if (standIns[k / 2] === undefined) current.bytes += items[k + 1] - items[k];
    while (cut < cuts.length && cuts[cut] < items[k + 1]) cut += 2;
  }
  return {
    envelope,
    sliceCount: slices.length,
    unchanged: standIns.filter((standIn) => standIn !== undefined),
    slice: (index) => {
      const { firstItem, endItem, firstCut } = slices[index];
      let text = '';
      let c = firstCut;
      for (let k = firstItem; k < endItem; k += 2) {
        if (standIns[k / 2] !== undefined) continue;
        if (text) text += ',';
        text += withoutCuts(body, items[k], items[k + 1], cuts, c);
        while (c < cuts.length && cuts[c] < items[k + 1]) c += 2;
      }
      return JSON.parse('[' + text + ']') as unknown[];
    },
  };
}

interface ItemsLayout {
  readonly itemsStart: number;
  readonly itemsEnd: number;
  /** Where each item starts and ends (pairs of offsets). */
  readonly items: number[];
  /** Stretches of the items left out of the parse (pairs of offsets, in order): see itemEnd. */
  readonly cuts: number[];
  /** For each item, what stands in for it (see ListBodyOptions.unchanged), or undefined to parse it. */
  readonly standIns: unknown[];
}

function whole(parsed: Record<string, unknown>): ListBody {
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.items)) return { envelope: parsed, sliceCount: 0, slice: () => [], unchanged: [] };
  const { items, ...rest } = parsed as { items: unknown[] };
  return { envelope: { ...rest, items: [] }, sliceCount: 1, slice: () => items, unchanged: [] };
}

/**
 * Where the top-level `items` array is and where each of its items starts and ends (pairs of
 * offsets). Bytes are enough: UTF-8 never puts an ASCII byte inside a multi-byte character, so
 * quotes, backslashes and brackets are found as bytes. Undefined when there is no `items` array.
 */
async function scanItems(
  body: Buffer,
  pauseEvery: number,
  pause: () => Promise<void>,
  keep: ByteShape | undefined,
  unchanged: ListBodyOptions['unchanged'],
): Promise<ItemsLayout | undefined> {
  let i = skipSpace(body, 0);
  if (body[i] !== openBrace) return undefined;
  i = skipSpace(body, i + 1);
  let found: ItemsLayout | undefined;
  while (body[i] !== closeBrace) {
    if (body[i] !== quote) throw new Error('a key was expected');
    const keyEnd = stringEnd(body, i);
    const isItems = isKey(body, i, keyEnd, itemsKey);
    i = skipSpace(body, keyEnd);
    if (body[i] !== colon) throw new Error('a colon was expected');
    i = skipSpace(body, i + 1);
    if (isItems && body[i] === openBracket) {
      const items: number[] = [];
      const cuts: number[] = [];
      const standIns: unknown[] = [];
      const identity: ItemIdentity | undefined = unchanged && { uid: undefined, resourceVersion: undefined };
      const itemsStart = i;
      let pausedAt = i;
      i = skipSpace(body, i + 1);
      while (body[i] !== closeBracket) {
        if (i - pausedAt >= pauseEvery) {
          await pause();
          pausedAt = i;
        }
        const cutsBefore = cuts.length;
        if (identity) identity.uid = identity.resourceVersion = undefined;
        const end = itemEnd(body, i, cuts, keep, identity);
        const standIn = identity?.uid !== undefined && identity.resourceVersion !== undefined ? unchanged?.(identity.uid, identity.resourceVersion) : undefined;
        // An item not parsed needs no cuts.
        if (standIn !== undefined) cuts.length = cutsBefore;
        items.push(i, end);
        standIns.push(standIn);
        i = skipSpace(body, end);
        if (body[i] === comma) i = skipSpace(body, i + 1);
        else if (body[i] !== closeBracket) throw new Error('a comma was expected');
      }
      i++;
      found = { itemsStart, itemsEnd: i, items, cuts, standIns };
    } else {
      i = valueEnd(body, i);
    }
    i = skipSpace(body, i);
    if (body[i] === comma) i = skipSpace(body, i + 1);
    else if (body[i] !== closeBrace) throw new Error('a comma was expected');
  }
  return found;
}

const itemsKey = Buffer.from('"items"');
const metadataKey = Buffer.from('"metadata"');
const managedFieldsKey = Buffer.from('"managedFields"');
const uidKey = Buffer.from('"uid"');
const resourceVersionKey = Buffer.from('"resourceVersion"');

/** An item's metadata.uid and metadata.resourceVersion, when they are plain strings (no escapes). */
interface ItemIdentity {
  uid: string | undefined;
  resourceVersion: string | undefined;
}

/**
 * The offset just past the item at `i`; its `metadata.managedFields` member, and what `keep`
 * does not name of its other members, are added to `cuts`. The API server writes down which
 * client last set each field of every object (managedFields): in a real cluster that is most of
 * an object's bytes (a pod's two entries are about 1.5 KB against 400 bytes for the rest of it),
 * and nothing here reads it. Left out before the parse, a page of 500 such pods parses in 1 ms
 * instead of 4-6, and its parsed objects, all garbage, are a fifth.
 */
export function itemEnd(body: Buffer, i: number, cuts: number[], keep: ByteShape | undefined, identity: ItemIdentity | undefined): number {
  if (body[i] !== openBrace) return valueEnd(body, i);
  return objectEnd(body, i, cuts, (keyStart, keyEnd, valueStart) => {
    if (isKey(body, keyStart, keyEnd, metadataKey)) {
      return body[valueStart] === openBrace ? objectEnd(body, valueStart, cuts, (start, end, value) => metadataMember(body, start, end, value, identity)) : undefined;
    }
    return keep ? shapedMember(body, keyStart, keyEnd, valueStart, cuts, keep) : undefined;
  });
}

/** A member of an item's metadata: managedFields are cut; uid and resourceVersion are noted in `identity` when it is given. */
function metadataMember(body: Buffer, keyStart: number, keyEnd: number, valueStart: number, identity: ItemIdentity | undefined): number | 'cut' | undefined {
  if (isKey(body, keyStart, keyEnd, managedFieldsKey)) return 'cut';
  if (!identity || body[valueStart] !== quote) return undefined;
  const isUid = isKey(body, keyStart, keyEnd, uidKey);
  if (!isUid && !isKey(body, keyStart, keyEnd, resourceVersionKey)) return undefined;
  const end = stringEnd(body, valueStart);
  // An escaped string reads otherwise once parsed: such an item is parsed.
  for (let at = valueStart + 1; at < end; at++) if (body[at] === backslash) return end;
  const value = body.toString('utf8', valueStart + 1, end - 1);
  if (isUid) identity.uid = value;
  else identity.resourceVersion = value;
  return end;
}

/** A member of an object shaped by `shape`: cut when not named, its value shaped when the shape says how (else objectEnd reads it whole). */
function shapedMember(body: Buffer, keyStart: number, keyEnd: number, valueStart: number, cuts: number[], shape: ByteShape): number | 'cut' | undefined {
  const k = shape.keys.findIndex((key) => isKey(body, keyStart, keyEnd, key));
  if (k < 0) return 'cut';
  const inner = shape.inner[k];
  return inner && shapedEnd(body, valueStart, cuts, inner);
}

/** The offset just past the value at `i`: an object keeps what `shape` names, an array's objects each do, anything else stays whole. */
function shapedEnd(body: Buffer, i: number, cuts: number[], shape: ByteShape): number {
  if (body[i] === openBrace) return objectEnd(body, i, cuts, (keyStart, keyEnd, valueStart) => shapedMember(body, keyStart, keyEnd, valueStart, cuts, shape));
  if (body[i] !== openBracket) return valueEnd(body, i);
  i = skipSpace(body, i + 1);
  while (body[i] !== closeBracket) {
    i = skipSpace(body, shapedEnd(body, i, cuts, shape));
    if (body[i] === comma) i = skipSpace(body, i + 1);
    else if (body[i] !== closeBracket) throw new Error('a comma was expected');
  }
  return i + 1;
}

/**
 * The offset just past the object at `i`, member by member. `member` may read a member's value
 * itself (it gives the value's end) or have the member cut: its bytes and one comma beside it
 * are added to `cuts`, so that what is left is still JSON.
 */
export function objectEnd(body: Buffer, i: number, cuts: number[], member: (keyStart: number, keyEnd: number, valueStart: number) => number | 'cut' | undefined): number {
  i = skipSpace(body, i + 1);
  const firstKey = i;
  const cutsBefore = cuts.length;
  // Where the last member that stays ends (-1: none yet).
  let keptEnd = -1;
  while (body[i] !== closeBrace) {
    if (body[i] !== quote) throw new Error('a key was expected');
    const keyStart = i;
    const keyEnd = stringEnd(body, i);
    i = skipSpace(body, keyEnd);
    if (body[i] !== colon) throw new Error('a colon was expected');
    i = skipSpace(body, i + 1);
    const read = member(keyStart, keyEnd, i);
    const end = typeof read === 'number' ? read : valueEnd(body, i);
    i = skipSpace(body, end);
    const followed = body[i] === comma;
    if (followed) i = skipSpace(body, i + 1);
    else if (body[i] !== closeBrace) throw new Error('a comma was expected');
    if (read !== 'cut') keptEnd = end;
    // With the comma after it. The last member takes the comma before it, from the end of the
    // last member that stays (the members cut between them go with it); when none stays, all go.
    else if (followed) cuts.push(keyStart, i);
    else {
      const from = keptEnd >= 0 ? keptEnd : firstKey;
      while (cuts.length > cutsBefore && cuts[cuts.length - 2] >= from) cuts.length -= 2;
      cuts.push(from, end);
    }
  }
  return i + 1;
}

export function isKey(body: Buffer, start: number, end: number, key: Buffer): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (body[start + k] !== key[k]) return false;
  return true;
}

export function skipSpace(body: Buffer, i: number): number {
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  if (i >= body.length) throw new Error('the answer ends early');
  return i;
}

/**
 * The offset just past the string that starts at `i`. A byte loop: most strings are short (keys,
 * names), and a call to indexOf per string cost more than it saved on the few long ones.
 */
export function stringEnd(body: Buffer, i: number): number {
  const length = body.length;
  for (let at = i + 1; at < length; at++) {
    const b = body[at];
    if (b === quote) return at + 1;
    if (b === backslash) at++;
  }
  throw new Error('a string does not end');
}

/** The offset just past the value (object, array, string, number, literal) that starts at `i`. */
function valueEnd(body: Buffer, i: number): number {
  const first = body[i];
  if (first === quote) return stringEnd(body, i);
  if (first !== openBrace && first !== openBracket) {
    while (i < body.length && body[i] !== comma && body[i] !== closeBrace && body[i] !== closeBracket && body[i] > 0x20) i++;
    return i;
  }
  let depth = 0;
  for (; i < body.length; i++) {
    const b = body[i];
    if (b === quote) i = stringEnd(body, i) - 1;
    else if (b === openBrace || b === openBracket) depth++;
    else if ((b === closeBrace || b === closeBracket) && --depth === 0) return i + 1;
  }
  throw new Error('an object or array does not end');
}
