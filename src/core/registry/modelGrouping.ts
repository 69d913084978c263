import { Inventory, TypeBucket } from '../inventory/inventory';
import { Registry } from './registry';
import { Fingerprint, ModelDefinition } from './types';

export interface KindInModel {
  readonly bucket: TypeBucket;
  readonly fingerprint: Fingerprint;
}

export interface ModelGroup {
  readonly model: ModelDefinition;
  readonly kinds: readonly KindInModel[];
  readonly objects: number;
}

/** A cluster's discovered types, fingerprinted and grouped by model (largest models first). */
export function groupByModel(registry: Registry, inventory: Inventory, clusterId: string): ModelGroup[] {
  const groups = new Map<string, { model: ModelDefinition; kinds: KindInModel[]; objects: number }>();
  for (const bucket of inventory.buckets(clusterId)) {
    if (bucket.objects.size === 0) continue;
    const fingerprint = registry.fingerprint(bucket.type.group, bucket.type.version, bucket.type.kind);
    let group = groups.get(fingerprint.model.name);
    if (!group) {
      group = { model: fingerprint.model, kinds: [], objects: 0 };
      groups.set(fingerprint.model.name, group);
    }
    group.kinds.push({ bucket, fingerprint });
    group.objects += bucket.objects.size;
  }
  for (const group of groups.values()) group.kinds.sort((a, b) => a.bucket.type.kind.localeCompare(b.bucket.type.kind));
  return [...groups.values()].sort((a, b) => a.model.displayName.localeCompare(b.model.displayName));
}
