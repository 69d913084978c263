import type { KubeObject } from './objectStore';

/** Who wrote an object: a field manager, and whether through the status subresource. */
export interface FieldWriter {
  readonly manager: string;
  readonly subresource?: 'status';
}

export interface ManagedFieldsEntry {
  readonly manager: string;
  readonly operation: 'Update';
  readonly apiVersion: string;
  readonly time: string;
  readonly fieldsType: 'FieldsV1';
  readonly fieldsV1: Record<string, unknown>;
  readonly subresource?: string;
}

/**
 * `metadata.managedFields` after `writers` wrote `object`, as the API server keeps it for
 * server-side apply: one entry per manager (and subresource) with the set of fields it set, in
 * the FieldsV1 form. A real cluster's objects all carry it, and it is often most of their bytes
 * (a running pod's two entries are about 1.5 KB against 400 bytes for the rest), so a client's
 * cost of reading lists is only measured right with it. Simplified: a writer owns every field of
 * the part it writes (the status for the status subresource, the rest otherwise), and taking a
 * field over does not remove it from another manager's set.
 */
export function managedFieldsAfter(
  previous: readonly ManagedFieldsEntry[] | undefined,
  writers: readonly FieldWriter[],
  apiVersion: string,
  object: KubeObject,
  time: string,
): ManagedFieldsEntry[] {
  const entries = (previous ?? []).filter((e) => !writers.some((w) => w.manager === e.manager && w.subresource === e.subresource));
  for (const writer of writers) {
    if (writer.subresource === 'status' && object.status === undefined) continue;
    const part = writer.subresource === 'status' ? { status: object.status } : specPart(object);
    entries.push({
      manager: writer.manager,
      operation: 'Update',
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldSet(part, 0),
      ...(writer.subresource ? { subresource: writer.subresource } : {}),
    });
  }
  return entries;
}

/** What a client writes of an object outside its status: its labels, annotations and the rest of its body. */
function specPart(object: KubeObject): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  const metadata = object.metadata ?? {};
  const ownMetadata: Record<string, unknown> = {};
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
    if (metadata[key] !== undefined) ownMetadata[key] = metadata[key];
  }
  if (Object.keys(ownMetadata).length) part.metadata = ownMetadata;
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata' && key !== 'status') part[key] = value;
  }
  return part;
}

/**
 * The FieldsV1 set of a value: `f:<name>` for a member, `k:{...}` for a list item with a key
 * (a uid, a name, or a port and protocol), `i:<n>` for one without, `v:<json>` for a list's scalar,
 * and `.` for a list item, or a map below the top level, that is itself owned.
 */
function fieldSet(value: unknown, depth: number): Record<string, unknown> {
  if (Array.isArray(value)) {
    const set: Record<string, unknown> = {};
    value.forEach((item, index) => {
      set[listKey(item, index)] = isMap(item) ? { '.': {}, ...fieldSet(item, depth + 1) } : {};
    });
    return set;
  }
  const set: Record<string, unknown> = depth >= 2 ? { '.': {} } : {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    set[`f:${key}`] = isMap(member) || Array.isArray(member) ? fieldSet(member, depth + 1) : {};
  }
  return set;
}

function listKey(item: unknown, index: number): string {
  if (!isMap(item)) return `v:${JSON.stringify(item)}`;
  if (typeof item.uid === 'string') return `k:${JSON.stringify({ uid: item.uid })}`;
  if (typeof item.name === 'string') return `k:${JSON.stringify({ name: item.name })}`;
  if (item.containerPort !== undefined) return `k:${JSON.stringify({ containerPort: item.containerPort, protocol: item.protocol ?? 'TCP' })}`;
  if (item.port !== undefined) return `k:${JSON.stringify({ port: item.port, protocol: item.protocol ?? 'TCP' })}`;
  return `i:${index}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
