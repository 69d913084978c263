import { SimCluster } from '../../simcluster/apiServer';
import { FakeGrafana, startFakeGrafana } from './fakeGrafana';
import { startMetricsExporter } from './metricsExporter';
import { PrometheusFixture, startPrometheus } from './prometheusServer';

export interface DemoBackends {
  readonly prometheus: PrometheusFixture;
  readonly grafana: FakeGrafana;
  readonly prometheusUser: { readonly username: string; readonly password: string };
  readonly grafanaUser: { readonly user: string; readonly password: string };
  stop(): Promise<void>;
}

/**
 * Makes the demo cluster's monitoring stack real: its Prometheus Service is a real Prometheus
 * (Debian's, scraping itself and an application with 10,000 metrics, behind basic auth) and its Grafana Service answers Grafana's HTTP
 * API. Each Service gets a load-balancer address on 127.0.0.1 (reachable from the IDE with the
 * credential) and a service-proxy backend (through the API server, which forwards no credential).
 */
export async function startDemoBackends(cluster: SimCluster): Promise<DemoBackends> {
  const prometheusUser = { username: 'demo', password: 'demo-prometheus-password' };
  const grafanaUser = { user: 'admin', password: 'demo-grafana-password' };
  // An application exposing 10,000 metrics: the metric list is as long as a real cluster's.
  const exporter = await startMetricsExporter(10_000);
  const [prometheus, grafana] = await Promise.all([
    startPrometheus(prometheusUser, { scrapeItself: true, alsoScrape: [exporter.target] }),
    startFakeGrafana({ ...grafanaUser, apiKey: 'glsa_demo_token' }),
  ]);
  exposeService(cluster, 'monitoring', 'prometheus-k8s', 'web', prometheus.url);
  exposeService(cluster, 'monitoring', 'grafana', 'http', grafana.url);
  return {
    prometheus,
    grafana,
    prometheusUser,
    grafanaUser,
    stop: async () => {
      await Promise.all([prometheus.stop(), grafana.stop(), exporter.stop()]);
    },
  };
}

/** The Service's named port becomes the backend's port, with a load-balancer ingress on 127.0.0.1 and a service-proxy target. */
function exposeService(cluster: SimCluster, namespace: string, name: string, portName: string, backend: string): void {
  const type = cluster.store.findType('', 'v1', 'services')!;
  const stored = cluster.store.get('/services', namespace, name);
  if (!stored) throw new Error(`The demo scenario has no Service ${namespace}/${name}.`);
  const service = JSON.parse(stored.json) as {
    spec: { type?: string; ports: { name?: string; port: number; targetPort?: unknown }[] };
    status?: unknown;
  };
  const port = Number(new URL(backend).port);
  service.spec.type = 'LoadBalancer';
  service.spec.ports = service.spec.ports.map((p) => (p.name === portName ? { ...p, port, targetPort: port } : p));
  service.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
  cluster.store.update(type, service as never);
  cluster.setProxyTarget(namespace, name, port, backend);
}
