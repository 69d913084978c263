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
    if (search.contains(object.name) || search.contains(object.namespace)) return true;
    const labels = object.labels;
    for (const key in labels) if (search.label(key, labels[key])) return true;
    return false;
  };
}

/** Whether a string holds the text, ignoring case. */
type Contains = (s: string) => boolean;

/** The text as a case-insensitive test that means the text itself. */
function caseless(text: string, anchor: { start?: boolean; end?: boolean } = {}): Contains {
  const pattern = new RegExp(`${anchor.start ? '^' : ''}${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${anchor.end ? '$' : ''}`, 'i');
  const length = text.length;
  // A string shorter than the text cannot hold it (ignoring case keeps lengths): most label
  // values are, and comparing lengths costs nothing next to running the expression.
  return (s) => s.length >= length && pattern.test(s);
}

/** The text's test, made once for names, namespaces and labels. */
function textSearch(text: string): { contains: Contains; label: (key: string, value: string) => boolean } {
  const contains = caseless(text);
  return { contains, label: labelMatcher(text, contains) };
}

/**
 * A test that remembers its answers for label keys: a cluster uses few keys over and over (a
 * hundred thousand objects here had seven), so each is tested once rather than once per object.
 */
function rememberingKeys(test: Contains): Contains {
  const answers = new Map<string, boolean>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = test(key);
      // Keys made per object (rare) would only fill the memory.
      if (answers.size < 10_000) answers.set(key, answer);
    }
    return answer;
  };
}

/**
 * Whether the text (`contains`) is in a label's "key=value", without making that string:
 * neither keys nor values hold "=", so text without one is in the key or in the value, and text
 * with one is the end of the key, "=", and the start of the value.
 */
function labelMatcher(text: string, contains: Contains): (key: string, value: string) => boolean {
  const parts = text.split('=');
  if (parts.length === 1) {
    const keyContains = rememberingKeys(contains);
    return (key, value) => keyContains(key) || contains(value);
  }
  if (parts.length > 2) return () => false;
  const keyEnds = rememberingKeys(caseless(parts[0], { end: true }));
  const valueStarts = caseless(parts[1], { start: true });
  return (key, value) => keyEnds(key) && valueStarts(value);
}
