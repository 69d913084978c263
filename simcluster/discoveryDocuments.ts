import { ApiError, ObjectStore } from './objectStore';

export interface ApiGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion: { groupVersion: string; version: string };
}

/** The APIGroupList: every group with its served versions, the preferred (most stable, newest) first. */
export function apiGroups(store: ObjectStore): ApiGroup[] {
  const byGroup = new Map<string, Set<string>>();
  for (const type of store.servedTypes()) {
    if (!type.group) continue;
    const versions = byGroup.get(type.group) ?? new Set();
    versions.add(type.version);
    byGroup.set(type.group, versions);
  }
  return [...byGroup].map(([name, versions]) => {
    // Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1.
    const sorted = [...versions].sort(compareVersions);
    const list = sorted.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: list, preferredVersion: list[0] };
  });
}

/** The APIResourceList of one group version. */
export function apiResourceList(store: ObjectStore, group: string, version: string): Record<string, unknown> {
  const types = store.servedTypes().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.map((t) => ({
      name: t.resource,
      singularName: t.singular ?? t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories?.length ? { categories: t.categories } : {}),
    })),
  };
}

function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na;
}

