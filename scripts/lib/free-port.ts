import { freePort } from '../../libs/config/src/free-port';

/** Tests, the bench and the drills share the apps' helper. */
export { freePort };

/** A free loopback port for each name. */
export async function freePorts<Name extends string>(...names: Name[]): Promise<Record<Name, number>> {
  const ports = {} as Record<Name, number>;
  for (const name of names) ports[name] = await freePort();
  return ports;
}
