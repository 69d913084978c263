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
  return (object) => {
    if (namespaces && object.namespace && !namespaces.has(object.namespace)) return false;
    if (!text) return true;
    if (object.name.toLowerCase().includes(text) || object.namespace.toLowerCase().includes(text)) return true;
    for (const key in object.labels) {
      if (`${key}=${object.labels[key]}`.toLowerCase().includes(text)) return true;
    }
    return false;
  };
}
