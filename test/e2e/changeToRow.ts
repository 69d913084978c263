import { SimCluster } from '../../simcluster/apiServer';
import { seededRandom } from '../../simcluster/random';
import { generatedObject, generatedWriters } from '../../simcluster/scenarios';

/** An object the test created on the server: when it was committed, and how many of its type there were then. */
export interface Probe {
  readonly at: number;
  readonly count: number;
}

/**
 * Creates an object of the type stored under `typeKey` every `everyMs` until `until` settles
 * (in a namespace that exists, named so nothing else makes it). The type must be one nothing
 * else creates or deletes meanwhile: its count then says which of the probes a row shows.
 */
export async function createProbes(cluster: SimCluster, typeKey: string, everyMs: number, until: Promise<unknown>): Promise<Probe[]> {
  const type = cluster.store.servedTypes().find((t) => `${t.group}/${t.resource}` === typeKey);
  if (!type) throw new Error(`the simulated cluster serves no ${typeKey}`);
  const namespace = cluster.store.list('/namespaces')[0].name;
  const random = seededRandom(11);
  let done = false;
  void until.finally(() => (done = true));
  const probes: Probe[] = [];
  while (!done) {
    const object = generatedObject(type, `probe-${probes.length}-${Date.now().toString(36)}`, namespace, 'probe', random);
    cluster.store.create(type, object, new Date(), generatedWriters(type));
    probes.push({ at: Date.now(), count: cluster.store.count(typeKey) });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return probes;
}

/**
 * For each probe, how long from its commit until a row text noted in the page (see
 * MesheryWorkbench.recordRowTexts) first showed a count that includes it; undefined for a probe
 * no text showed. `countOf` reads the count a text shows.
 */
export function probeToRowMs(probes: readonly Probe[], texts: readonly [number, string][], countOf: (text: string) => number): (number | undefined)[] {
  const shown = texts.map(([at, text]) => ({ at, count: countOf(text) }));
  return probes.map((probe) => {
    const first = shown.find((s) => s.at >= probe.at && s.count >= probe.count);
    return first && first.at - probe.at;
  });
}

/** p50, p90, p99 and max of what was measured, all of it in order, and how many probes were never shown. */
export function latencySummary(latencies: readonly (number | undefined)[]): { probes: number; neverShown: number; p50: number; p90: number; p99: number; max: number; sorted: number[] } {
  const measured = latencies.filter((l): l is number => l !== undefined).sort((a, b) => a - b);
  const at = (q: number) => measured[Math.min(measured.length - 1, Math.ceil((q / 100) * measured.length) - 1)] ?? NaN;
  return { probes: latencies.length, neverShown: latencies.length - measured.length, p50: at(50), p90: at(90), p99: at(99), max: measured[measured.length - 1] ?? NaN, sorted: measured };
}
