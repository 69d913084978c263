import * as http from 'node:http';
import { freePort } from './vscodeServer';

export interface MetricsExporter {
  /** host:port, as a Prometheus scrape target. */
  readonly target: string;
  stop(): Promise<void>;
}

const areas = ['http', 'grpc', 'db', 'cache', 'queue', 'auth', 'billing', 'search', 'storage', 'mailer'];
const things = ['requests', 'errors', 'latency_seconds', 'bytes', 'retries', 'connections', 'items', 'jobs', 'timeouts', 'hits'];

/**
 * A service exposing `count` gauges in Prometheus's text format: scraped by a real Prometheus, it
 * gives the registration panel a metric list of realistic size (10,000 names).
 */
export async function startMetricsExporter(count: number): Promise<MetricsExporter> {
  const names = Array.from({ length: count }, (_, i) => `demo_app_${areas[i % areas.length]}_${things[Math.floor(i / areas.length) % things.length]}_${i}`);
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    const now = Date.now() / 1000;
    res.end(names.map((n, i) => `# TYPE ${n} gauge\n${n} ${(Math.sin(now / 60 + i) + 1) * 100}\n`).join(''));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { target: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) };
}
