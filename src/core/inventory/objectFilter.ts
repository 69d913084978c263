import { ObjectSummary } from '../kube/objectSummary';

export interface ObjectFilter {
  /** Case-insensitive text found in the name, the namespace, or a label (key, value or key=value). */
  readonly text?: string;
  /** Only objects in these namespaces (cluster-scoped objects stay visible). */
  readonly namespaces?: readonly string[];
}

/** A predicate for the filter, or undefined when it lets everything through. */
export function objectMatcher(filter: ObjectFilter): ((object: ObjectSummary) => boolean) | undefined {
  const text = filter.text?.trim().toLowerCase();
  const namespaces = filter.namespaces?.length ? new Set(filter.namespaces) : undefined;
  if (!text && !namespaces) return undefined;
  // Runs over every object of a cluster (100,000 and more) on the extension host's thread: no
  // string is built unless it must be.
  const acrossEquals = text?.includes('=');
  return (object) => {
    if (namespaces && object.namespace && !namespaces.has(object.namespace)) return false;
    if (!text) return true;
    if (includesIgnoringCase(object.name, text) || includesIgnoringCase(object.namespace, text)) return true;
    for (const key in object.labels) {
      const value = object.labels[key];
      // Text without "=" is in "key=value" exactly when it is in the key or in the value.
      if (acrossEquals ? includesIgnoringCase(`${key}=${value}`, text) : includesIgnoringCase(key, text) || includesIgnoringCase(value, text)) return true;
    }
    return false;
  };
}

function includesIgnoringCase(haystack: string, lowercaseNeedle: string): boolean {
  // V8 returns a string that is already lowercase as it is, without a copy.
  return haystack.toLowerCase().includes(lowercaseNeedle);
}
