import * as net from 'node:net';

/**
 * A SOCKS5 proxy (no authentication, CONNECT only, RFC 1928). As startConnectProxy, host names
 * under `.invalid` go to 127.0.0.1, so a server named that way is reachable only through it.
 */
export async function startSocksProxy(): Promise<{ url: string; tunnels: string[]; stop(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    let buffered = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!greeted) {
        if (buffered.length < 2 || buffered.length < 2 + buffered[1]) return;
        buffered = buffered.subarray(2 + buffered[1]);
        greeted = true;
        client.write(Buffer.from([5, 0]));
      }
      const target = requestTarget(buffered);
      if (!target) return;
      client.off('data', onData);
      tunnels.push(`${target.host}:${target.port}`);
      const upstream = net.connect(target.port, target.host.endsWith('.invalid') ? '127.0.0.1' : target.host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (buffered.length > target.length) upstream.write(buffered.subarray(target.length));
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `socks5h://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    tunnels,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The host and port of a complete CONNECT request at the start of `data`, and its length. */
function requestTarget(data: Buffer): { host: string; port: number; length: number } | undefined {
  if (data.length < 5) return undefined;
  const type = data[3];
  const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + data[4];
  const length = 4 + addressLength + 2;
  if (data.length < length) return undefined;
  const address = data.subarray(4, 4 + addressLength);
  const host =
    type === 1
      ? [...address].join('.')
      : type === 4
        ? (address.toString('hex').match(/.{4}/g) ?? []).join(':')
        : address.subarray(1).toString('latin1');
  return { host, port: data.readUInt16BE(4 + addressLength), length };
}
