import { ObjectSummary } from '../kube/objectSummary';

export interface ObjectFilter {
  /** Case-insensitive text found in the name, the namespace, or a label (key, value or key=value). */
  readonly text?: string;
  /** Only objects in these namespaces (cluster-scoped objects stay visible). */
  readonly namespaces?: readonly string[];
}

/** The filter as it is kept: text trimmed, nothing empty. */
export function normalizedFilter(filter: ObjectFilter): ObjectFilter {
  const text = filter.text?.trim();
  return { ...(text ? { text } : {}), ...(filter.namespaces?.length ? { namespaces: filter.namespaces } : {}) };
}

export function sameFilter(a: ObjectFilter, b: ObjectFilter): boolean {
  return a.text === b.text && (a.namespaces ?? []).join('\0') === (b.namespaces ?? []).join('\0');
}

/**
 * Whether every object `next` lets through, `previous` lets through too, so the objects it
 * shows can be found among those `previous` showed (typing a filter narrows it a keystroke at a
 * time). Text that contains the previous text narrows it: where the longer text is found (a
 * name, a namespace, a label's key or value, or across a label's "="), the shorter is found too.
 */
export function narrows(next: ObjectFilter, previous: ObjectFilter): boolean {
  if (previous.namespaces?.length) {
    const allowed = new Set(previous.namespaces);
    if (!next.namespaces?.length || !next.namespaces.every((ns) => allowed.has(ns))) return false;
  }
  const before = previous.text?.trim() ?? '';
  if (!before) return true;
  const after = next.text?.trim() ?? '';
  // Only ASCII, where the matcher's case-insensitivity and lowercasing agree.
  return /^[\x20-\x7e]*$/.test(after + before) && after.toLowerCase().includes(before.toLowerCase());
}

/** A predicate for the filter, or undefined when it lets everything through. */
export function objectMatcher(filter: ObjectFilter): ((object: ObjectSummary) => boolean) | undefined {
  const text = filter.text?.trim();
  const namespaces = filter.namespaces?.length ? new Set(filter.namespaces) : undefined;
  if (!text && !namespaces) return undefined;
  // Runs over every object of a cluster (100,000 and more) on the extension host's thread: a
  // case-insensitive expression tests each string where it is, about twice as fast as lowercasing
  // each one, and builds no string. Names, namespaces and labels are ASCII (Kubernetes says so),
  // where "i" and lowercasing agree.
  const search = text ? textSearch(text) : undefined;
  return (object) => {
    if (namespaces && object.namespace && !namespaces.has(object.namespace)) return false;
    if (!search) return true;
    if (search.pattern.test(object.name) || search.pattern.test(object.namespace)) return true;
    const labels = object.labels;
    for (const key in labels) if (search.label(key, labels[key])) return true;
    return false;
  };
}

/** The text as a case-insensitive expression that means the text itself. */
function caseless(text: string, anchor: { start?: boolean; end?: boolean } = {}): RegExp {
  return new RegExp(`${anchor.start ? '^' : ''}${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${anchor.end ? '$' : ''}`, 'i');
}

/** The text's expression, made once for names, namespaces and labels. */
function textSearch(text: string): { pattern: RegExp; label: (key: string, value: string) => boolean } {
  const pattern = caseless(text);
  return { pattern, label: labelMatcher(text, pattern) };
}

/**
 * Whether the text (its `pattern`) is in a label's "key=value", without making that string:
 * neither keys nor values hold "=", so text without one is in the key or in the value, and text
 * with one is the end of the key, "=", and the start of the value.
 */
function labelMatcher(text: string, pattern: RegExp): (key: string, value: string) => boolean {
  const parts = text.split('=');
  if (parts.length === 1) return (key, value) => pattern.test(key) || pattern.test(value);
  if (parts.length > 2) return () => false;
  const keyEnd = caseless(parts[0], { end: true });
  const valueStart = caseless(parts[1], { start: true });
  return (key, value) => keyEnd.test(key) && valueStart.test(value);
}
