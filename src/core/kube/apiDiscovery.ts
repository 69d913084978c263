import { KubeClient } from './kubeClient';

/** A resource type to list and watch, at its group's preferred version. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export function resourceTypeKey(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${type.group}/${type.resource}`;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The collection path of a type, cluster-wide. */
export function collectionPath(type: ResourceType): string {
  return type.group ? `/apis/${type.group}/${type.version}/${type.resource}` : `/api/${type.version}/${type.resource}`;
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

export interface DiscoveryResult {
  readonly types: ResourceType[];
  /**
   * Group versions whose resource list could not be read (an aggregated API that is down, an API
   * server restarting): their types are unknown, not gone.
   */
  readonly failedGroups: { group: string; groupVersion: string; reason: string }[];
}

/**
 * Every served resource type that supports list and watch, at the preferred version of its
 * group; subresources (pods/log) are not types. Group documents are fetched in parallel.
 */
export async function discoverResourceTypes(client: KubeClient, signal?: AbortSignal): Promise<DiscoveryResult> {
  const options = { signal, timeoutMs: 30_000 };
  const [core, groups] = await Promise.all([
    client.getJson<{ versions?: string[] }>('/api', options),
    client.getJson<{ groups?: { name: string; preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[] }>('/apis', options),
  ]);
  const groupVersions = [
    ...(core.versions ?? ['v1']).slice(0, 1).map((v) => ({ group: '', groupVersion: v, path: `/api/${v}` })),
    ...(groups.groups ?? []).flatMap((g) => {
      // A group listed with no version (an aggregated API half registered) serves nothing yet.
      const gv = g.preferredVersion?.groupVersion ?? g.versions?.[0]?.groupVersion;
      return gv ? [{ group: g.name, groupVersion: gv, path: `/apis/${gv}` }] : [];
    }),
  ];
  const failedGroups: { group: string; groupVersion: string; reason: string }[] = [];
  const lists = await Promise.all(
    groupVersions.map(async (gv) => {
      try {
        return { gv, list: await client.getJson<{ resources?: APIResource[] }>(gv.path, options) };
      } catch (error) {
        failedGroups.push({ group: gv.group, groupVersion: gv.groupVersion, reason: (error as Error).message });
        return { gv, list: { resources: [] } };
      }
    }),
  );
  const types: ResourceType[] = [];
  for (const { gv, list } of lists) {
    const version = gv.groupVersion.includes('/') ? gv.groupVersion.split('/')[1] : gv.groupVersion;
    for (const r of list.resources ?? []) {
      if (r.name.includes('/') || !r.verbs?.includes('list') || !r.verbs.includes('watch')) continue;
      types.push({ group: gv.group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
  }
  return { types, failedGroups };
}
