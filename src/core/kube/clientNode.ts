import type * as ClientNode from '@kubernetes/client-node';

/** The part of the library we use; the extension's bundle of it holds only this. */
type UsedPart = Pick<typeof ClientNode, 'KubeConfig'>;

let loaded: UsedPart | undefined;

/**
 * @kubernetes/client-node, loaded on first use: it takes tens of milliseconds to load, which
 * activation must not pay (the views come first; credentials are needed only when a cluster is
 * contacted). Pinned to 1.4.0: 2.x does not load on Node 20.
 */
export function clientNode(): UsedPart {
  // The build points this at dist/client-node.js, a bundle of its own (see scripts/build.mjs).
  loaded ??= require('@kubernetes/client-node') as UsedPart;
  return loaded;
}

/** Whether the library is loaded already (its first load deserves a turn of its own). */
export function clientNodeLoaded(): boolean {
  return loaded !== undefined;
}
