/** A model: a technology (Istio, cert-manager, ...) and the kinds it defines, as Meshery models are. */
export interface ModelDefinition {
  readonly name: string;
  readonly displayName: string;
  readonly category: string;
  readonly primaryColor: string;
  readonly secondaryColor: string;
  /** Our own simple icon: a shape in the model's colours with a short glyph (no copied logos). */
  readonly icon: { readonly glyph: string; readonly shape: IconShape } | { readonly svg: string };
  /**
   * Precedence when two models define the same group and kind: a user's imported model wins over
   * a specific shipped model, which wins over a generic one (the Kubernetes core model).
   */
  readonly specificity: 'imported' | 'specific' | 'generic' | 'uncategorized';
  readonly components: readonly ComponentDefinition[];
  /** Where an imported model came from. */
  readonly source?: string;
}

export type IconShape = 'circle' | 'hexagon' | 'heptagon' | 'octagon' | 'square' | 'diamond' | 'shield' | 'sail';

export interface ComponentDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly displayName?: string;
  readonly styles?: { readonly primaryColor?: string; readonly secondaryColor?: string };
}

/** What tier 1 fingerprinting says about a group/version/kind. */
export interface Fingerprint {
  readonly model: ModelDefinition;
  readonly component: ComponentDefinition;
  /** The model knows this group and kind at another version than the cluster serves. */
  readonly versionSkew: boolean;
}
