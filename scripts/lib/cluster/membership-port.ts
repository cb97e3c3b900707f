import { createServer } from 'node:net';

/**
 * The server stores each service's membership port in `cluster_membership.rpc_port`, a PostgreSQL
 * smallint (schema/postgresql/v12/temporal/schema.sql): ports from 32768 up, where the system's
 * ephemeral (free-port) range lies, fail the server's start. So these come from below that.
 */
const LOWEST = 10_000;
const HIGHEST = 32_767;
const ATTEMPTS = 50;

/** A loopback port below 32768 that was free a moment ago. */
export async function freeMembershipPort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free loopback port between ${LOWEST} and ${HIGHEST} after ${ATTEMPTS} tries`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
