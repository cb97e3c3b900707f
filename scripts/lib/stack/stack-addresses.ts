/**
 * Where a stack's processes listen, read from the apps' environment: the same variables the apps
 * read, so the launcher waits on exactly the ports the apps open. Every variable must be set (the
 * local stack gets them from .env.example, a private stack declares them), so no default here
 * can drift from an app's own.
 */
export interface StackAddresses {
  host: string;
  apiPort: number;
  /** 0: an ephemeral port nobody waits for (private stacks that need no operator port). */
  operatorPort: number;
  simulatorPort: number;
  /** 0: the worker serves no HTTP, so its start-up cannot be awaited. */
  workerHealthPort: number;
  temporal: { host: string; port: number; address: string; namespace: string };
}

export function stackAddresses(env: NodeJS.ProcessEnv): StackAddresses {
  const temporalAddress = required(env, 'TEMPORAL_ADDRESS');
  const [temporalHost = '', temporalPort = ''] = temporalAddress.split(':');
  return {
    host: required(env, 'HOST'),
    apiPort: port(env, 'PORT'),
    operatorPort: port(env, 'OPERATOR_PORT'),
    simulatorPort: port(env, 'SIMULATOR_PORT'),
    workerHealthPort: port(env, 'WORKER_HEALTH_PORT'),
    temporal: { host: temporalHost, port: Number(temporalPort), address: temporalAddress, namespace: required(env, 'TEMPORAL_NAMESPACE') },
  };
}

export function httpUrl(host: string, port: number): string {
  return `http://${host}:${port}`;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: the stack needs it to know where its processes listen`);
  return value;
}

function port(env: NodeJS.ProcessEnv, name: string): number {
  const value = Number(required(env, name));
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name}=${env[name]} is not a port`);
  return value;
}
