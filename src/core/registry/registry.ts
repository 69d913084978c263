import { Emitter } from '../common/emitter';
import { ComponentDefinition, Fingerprint, ModelDefinition } from './types';
import { shippedModels } from './shippedModels';

const precedence: Record<ModelDefinition['specificity'], number> = { imported: 0, specific: 1, generic: 2, uncategorized: 3 };

function groupKindKey(group: string, kind: string): string {
  return `${group}\u0000${kind}`;
}

/** The model every kind of an API group no model knows falls into, with generic styling. */
export function uncategorizedModel(group: string): ModelDefinition {
  return {
    name: `uncategorized:${group || 'core'}`,
    displayName: `Uncategorized (${group || 'core'})`,
    category: 'Uncategorized',
    primaryColor: '#7C8B96',
    secondaryColor: '#C9D1D6',
    icon: { glyph: '?', shape: 'circle' },
    specificity: 'uncategorized',
    components: [],
  };
}

/**
 * Models and their component definitions, and tier 1 fingerprinting: an object's group and kind
 * joined to a component. Unlike Meshery's exact apiVersion match, a model that knows the kind at
 * another version still matches (flagged as version skew), and when several models define the
 * same group and kind the documented precedence decides: imported, then specific, then generic.
 */
export class Registry {
  private models = new Map<string, ModelDefinition>();
  private byGroupKind = new Map<string, { model: ModelDefinition; component: ComponentDefinition }[]>();
  private uncategorized = new Map<string, ModelDefinition>();
  private cache = new Map<string, Fingerprint>();
  private readonly changeEmitter = new Emitter<void>();
  /** Fires when the models change (an import), so fingerprints must be recomputed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(models: readonly ModelDefinition[] = shippedModels) {
    // Indexed once, not once per model (that was 32 passes over every component at startup).
    for (const model of models) this.models.set(model.name, model);
    this.reindex();
  }

  /** Adds (or replaces, by name) a model; imported models replace shipped ones of the same name. */
  add(model: ModelDefinition): void {
    this.models.set(model.name, model);
    this.reindex();
  }

  /** Replaces every imported model with these (a changed import setting); shipped models stay. */
  setImported(models: readonly ModelDefinition[]): void {
    for (const [name, model] of this.models) {
      if (model.specificity === 'imported') this.models.delete(name);
    }
    for (const model of models) this.models.set(model.name, model);
    this.reindex();
    this.changeEmitter.fire();
  }

  allModels(): ModelDefinition[] {
    return [...this.models.values()];
  }

  model(name: string): ModelDefinition | undefined {
    return this.models.get(name) ?? this.uncategorized.get(name);
  }

  fingerprint(group: string, version: string, kind: string): Fingerprint {
    const cacheKey = `${group}/${version}/${kind}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const candidates = this.byGroupKind.get(groupKindKey(group, kind)) ?? [];
    let result: Fingerprint;
    if (candidates.length === 0) {
      let model = this.uncategorized.get(group);
      if (!model) {
        model = uncategorizedModel(group);
        this.uncategorized.set(group, model);
      }
      result = { model, component: { group, version, kind, namespaced: true }, versionSkew: false };
    } else {
      // Precedence first; within the winning model, the exact version if it has it.
      const best = precedence[candidates[0].model.specificity];
      const top = candidates.filter((c) => precedence[c.model.specificity] === best);
      const exact = top.find((c) => c.component.version === version);
      const chosen = exact ?? top[0];
      result = { model: chosen.model, component: chosen.component, versionSkew: !exact };
    }
    this.cache.set(cacheKey, result);
    return result;
  }

  private reindex(): void {
    this.byGroupKind = new Map();
    this.cache = new Map();
    for (const model of this.models.values()) {
      for (const component of model.components) {
        const key = groupKindKey(component.group, component.kind);
        const list = this.byGroupKind.get(key) ?? [];
        list.push({ model, component });
        this.byGroupKind.set(key, list);
      }
    }
    for (const list of this.byGroupKind.values()) {
      list.sort((a, b) => precedence[a.model.specificity] - precedence[b.model.specificity] || a.model.name.localeCompare(b.model.name));
    }
  }
}
