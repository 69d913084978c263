import { onlyAnnotations, secretAnnotationsShown } from './objectSummary';

/**
 * What the YAML view shows of an object: no managedFields. A Secret is read in metadata form
 * (see ClusterSync.getObject), and whatever arrives, its values and the annotations that may
 * copy them (kubectl's last-applied configuration) are never shown.
 */
export function presentableObject(object: Record<string, unknown>, secret = object.kind === 'Secret'): Record<string, unknown> {
  const metadata = { ...((object.metadata as Record<string, unknown>) ?? {}) };
  delete metadata.managedFields;
  if (!secret) return { ...object, metadata };
  const annotations = onlyAnnotations(metadata.annotations, secretAnnotationsShown);
  delete metadata.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    ...(typeof object.type === 'string' ? { type: object.type } : {}),
  };
}
