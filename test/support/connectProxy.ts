import * as http from 'node:http';
import * as net from 'node:net';

/**
 * An HTTP proxy that only tunnels (CONNECT), as corporate proxies in front of API servers do.
 * Host names under `.invalid` (which no resolver knows) go to 127.0.0.1, so a server named that
 * way is reachable through the proxy and only through it.
 */
export async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; stop(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    tunnels.push(req.url ?? '');
    const upstream = net.connect(Number(port), host.endsWith('.invalid') ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === upstream ? client : upstream).destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    tunnels,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
