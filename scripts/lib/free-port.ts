import { createServer, type Server } from 'node:net';
import { freePort } from '../../libs/config/src/free-port';

/** Tests, the bench and the drills share the apps' helper. */
export { freePort };

/**
 * A free loopback port for each name, all different: every port stays held until all are chosen.
 * Chosen one after the other, each released at once, two names could get the same port (seen in a
 * full run: a stack's API given the simulator's port as its operator port, EADDRINUSE at start).
 */
export async function freePorts<Name extends string>(...names: Name[]): Promise<Record<Name, number>> {
  const held = await Promise.all(names.map(() => listenOnAnyPort()));
  await Promise.all(held.map(({ server }) => new Promise((resolve) => server.close(resolve))));
  return Object.fromEntries(names.map((name, index) => [name, held[index]!.port])) as Record<Name, number>;
}

function listenOnAnyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address !== null) resolve({ server, port: address.port });
      else server.close(() => reject(new Error('no port')));
    });
  });
}
