import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a service, that can be frozen: while frozen it still accepts
 * connections and reads what is sent, but forwards nothing either way, as the kernel does for a
 * process stopped with SIGSTOP (or a long GC pause, a partition). Thawing forwards what was held.
 */
export interface FreezableProxy {
  /** The service's URL through the proxy (same path). */
  url: string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(target: string): Promise<FreezableProxy> {
  const upstream = new URL(target);
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const service = net.connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(service);
    client.on('close', () => sockets.delete(client));
    service.on('close', () => sockets.delete(service));
    forward(client, service);
    forward(service, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
