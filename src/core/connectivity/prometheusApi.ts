import { ServicePath, ServiceTarget, getFromService } from './serviceRequest';

/** Prometheus's answer envelope (GET /api/v1/...): `status` and `data`, or `error`. */
interface Envelope<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

type Sample = [number, string];

function parse<T>(body: string, what: string): T {
  let envelope: Envelope<T>;
  try {
    envelope = JSON.parse(body) as Envelope<T>;
  } catch {
    throw new Error(`The answer to ${what} is not Prometheus's JSON; is this URL a Prometheus?`);
  }
  if (envelope.status !== 'success' || envelope.data === undefined) throw new Error(`Prometheus refused ${what}: ${envelope.error ?? 'no data'}`);
  return envelope.data;
}

/** Every metric name Prometheus knows (GET /api/v1/label/__name__/values), sorted, and how they were read. */
export async function metricNames(target: ServiceTarget): Promise<{ names: string[]; path: ServicePath }> {
  // A large Prometheus knows 100,000+ names (a few MiB of JSON): this one answer may be bigger than the usual cap.
  const answer = await getFromService({ ...target, maxBytes: 32 * 1024 * 1024 }, '/api/v1/label/__name__/values');
  const names = parse<unknown[]>(answer.body, 'the list of metric names').filter((n): n is string => typeof n === 'string');
  return { names: names.sort(), path: answer.path };
}

export interface MetricValue {
  readonly name: string;
  /** The value of the first series, as Prometheus writes it ("NaN", "+Inf" included). */
  readonly value: string | undefined;
  readonly series: number;
  readonly error?: string;
}

/** The current value of each metric: one instant query each, so one failing name does not hide the others. */
export async function currentValues(target: ServiceTarget, names: readonly string[]): Promise<MetricValue[]> {
  return Promise.all(
    names.map(async (name) => {
      try {
        const answer = await getFromService(target, `/api/v1/query?query=${encodeURIComponent(name)}`);
        const data = parse<{ result: { value: Sample }[] }>(answer.body, `the query ${name}`);
        return { name, value: data.result[0]?.value[1], series: data.result.length };
      } catch (error) {
        return { name, value: undefined, series: 0, error: (error as Error).message };
      }
    }),
  );
}

export interface MetricSeries {
  readonly name: string;
  /** Unix seconds and values of the metric summed over its series, for a sparkline. */
  readonly points: readonly (readonly [number, number])[];
  readonly error?: string;
}

/**
 * The last `minutes` of each metric, summed over its series (GET /api/v1/query_range), at most 180
 * points each: enough for a sparkline, small enough to post to a webview every 15 s.
 */
export async function recentSeries(target: ServiceTarget, names: readonly string[], minutes: number, nowSeconds: number): Promise<MetricSeries[]> {
  const start = nowSeconds - minutes * 60;
  // 180 points at most: a Prometheus that started a minute ago still draws a line.
  const step = Math.max(1, Math.round((minutes * 60) / 180));
  return Promise.all(
    names.map(async (name) => {
      try {
        const query = encodeURIComponent(`sum(${name})`);
        const answer = await getFromService(target, `/api/v1/query_range?query=${query}&start=${start}&end=${nowSeconds}&step=${step}`);
        const data = parse<{ result: { values: Sample[] }[] }>(answer.body, `the range query ${name}`);
        const points = (data.result[0]?.values ?? []).map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v));
        return { name, points };
      } catch (error) {
        return { name, points: [], error: (error as Error).message };
      }
    }),
  );
}
