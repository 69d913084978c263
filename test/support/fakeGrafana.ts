import * as http from 'node:http';

export interface FakeGrafana {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A small server that answers like Grafana's HTTP API for the endpoints the tester uses:
 * GET /api/health (no auth: {commit, database, version}) and GET /api/org (basic auth or an API
 * key / service-account token as a bearer token; 401 {"message": ...} otherwise), and
 * GET /api/search?type=dash-db (the same authentication; Grafana's search hit fields).
 */
const dashboards = [
  ['k8s-cluster', 'Kubernetes / Compute Resources / Cluster', 'Kubernetes'],
  ['k8s-namespace', 'Kubernetes / Compute Resources / Namespace (Pods)', 'Kubernetes'],
  ['node-exporter', 'Node Exporter / Nodes', 'Infrastructure'],
  ['prometheus-overview', 'Prometheus / Overview', 'Monitoring'],
  ['istio-mesh', 'Istio Mesh Dashboard', 'Istio'],
  ['argocd', 'Argo CD', 'Delivery'],
].map(([uid, title, folder], i) => ({
  id: i + 1,
  uid,
  title,
  uri: `db/${uid}`,
  url: `/d/${uid}/${uid}`,
  slug: '',
  type: 'dash-db',
  tags: [],
  isStarred: false,
  folderId: 1,
  folderUid: folder.toLowerCase(),
  folderTitle: folder,
}));

export function startFakeGrafana(options: { user: string; password: string; apiKey: string }): Promise<FakeGrafana> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/api/health') return send(200, { commit: '9d7d4b8b', database: 'ok', version: '11.2.0' });
    const auth = req.headers.authorization ?? '';
    const basic = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
    const authorized = auth === basic || auth === `Bearer ${options.apiKey}`;
    const url = new URL(req.url ?? '/', 'http://grafana');
    if (url.pathname === '/api/org' || url.pathname === '/api/search') {
      if (!authorized) return send(401, { message: auth.startsWith('Bearer') ? 'invalid API key' : 'invalid username or password' });
      if (url.pathname === '/api/org') return send(200, { id: 1, name: 'Main Org.', address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' } });
      return send(200, url.searchParams.get('type') === 'dash-folder' ? [] : dashboards);
    }
    send(404, { message: 'Not found' });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
