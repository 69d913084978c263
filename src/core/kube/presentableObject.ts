/** What the YAML view shows of an object: no managedFields, and never a Secret's values. */
export function presentableObject(object: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...object };
  const metadata = { ...((copy.metadata as Record<string, unknown>) ?? {}) };
  delete metadata.managedFields;
  copy.metadata = metadata;
  if (copy.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const values = copy[field] as Record<string, string> | undefined;
      if (values) copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, '<redacted by Meshery>']));
    }
  }
  return copy;
}

