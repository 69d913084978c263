import * as http from 'node:http';

export interface FakeGrafana {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A small server that answers like Grafana's HTTP API for the endpoints the tester uses:
 * GET /api/health (no auth: {commit, database, version}) and GET /api/org (basic auth or an API
 * key / service-account token as a bearer token; 401 {"message": ...} otherwise).
 */
export function startFakeGrafana(options: { user: string; password: string; apiKey: string }): Promise<FakeGrafana> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/api/health') return send(200, { commit: '9d7d4b8b', database: 'ok', version: '11.2.0' });
    if (req.url === '/api/org') {
      const auth = req.headers.authorization ?? '';
      const basic = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
      if (auth === basic || auth === `Bearer ${options.apiKey}`) {
        return send(200, { id: 1, name: 'Main Org.', address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' } });
      }
      return send(401, { message: auth.startsWith('Bearer') ? 'invalid API key' : 'invalid username or password' });
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
