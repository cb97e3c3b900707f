import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEntryPoints } from '../paths';
import { isClusterPart, startTemporalCluster, type ClusterPart, type TemporalCluster, type TemporalClusterOptions } from '../cluster/temporal-cluster';
import { ExitWatch } from '../exit-watch';
import { hasExited, spawnPrefixed, stopGracefully, waitForPort, type Supervised } from '../processes';
import { devServerPorts, spawnTemporalDevServer, type DevServerOptions } from '../temporal-dev-server';
import { stackAddresses, type StackAddresses } from './stack-addresses';
import { listedMerchantNamespaces } from '../merchant-namespaces';

export type AppName = keyof typeof appEntryPoints;

/** Where a stack's own Temporal dev server keeps its runs. */
export type TemporalStore = 'memory' | 'temporary-file' | { file: string };

/** A Temporal dev server the stack starts (first) and stops (last), at the environment's TEMPORAL_ADDRESS. */
export interface OwnTemporal extends Pick<DevServerOptions, 'uiPort' | 'uiCodecEndpoint' | 'sqlitePragmas' | 'dynamicConfig'> {
  store: TemporalStore;
}

/**
 * The real server on a private PostgreSQL (scripts/lib/cluster), at the environment's
 * TEMPORAL_ADDRESS port with every merchant's namespace; its parts are killed and restarted by
 * their names ('temporal-server', 'postgres') like the stack's own processes.
 */
export interface OwnCluster {
  cluster: Pick<TemporalClusterOptions, 'retentionMs' | 'ui'>;
}

export interface StackPlan {
  /** What every app starts with; the stack reads its hosts and ports from it too (stack-addresses.ts). */
  environment: NodeJS.ProcessEnv;
  /** Additions to `environment` for one app of the stack (not for further instances started later). */
  apps?: Partial<Record<AppName, NodeJS.ProcessEnv>>;
  /** The stack's own dev server or cluster, or null to use the one already at TEMPORAL_ADDRESS. */
  temporal: OwnTemporal | OwnCluster | null;
  /** The apps' working directory: apps load a .env from it, so private stacks run away from the repository. */
  cwd: string;
  /** Print the processes' lines as they come (always kept, up to `keptLines`, for a failure report). */
  liveOutput: boolean;
  keptLines: number;
  /**
   * Start each process in a process group of its own, so that Ctrl-C reaches only the launcher,
   * which then stops them in order (apps before Temporal, so in-flight work drains). For launchers
   * run from a terminal; a test runner's processes share its group and go with it.
   */
  ownProcessGroups: boolean;
}

/** Past this a process that has not started counts as failed: generous, for a busy 2-core machine. */
const START_TIMEOUT_MS = 60_000;

/** How a process of the stack is started, again on a restart. */
interface Launch {
  spawn: () => Supervised;
  /** It is ready once it listens on these ports of this host. */
  host: string;
  readyPorts: readonly number[];
}

interface StackProcess {
  current: Supervised;
  launch: Launch;
}

/**
 * A running stack: Temporal (when its own), the simulator, a worker and an API, started in that
 * order, each awaited until it listens. It collects the processes' output, reports one that exits
 * unasked, kills and restarts a process by name, and stops them all in reverse order.
 */
export class Stack {
  readonly addresses: StackAddresses;
  private readonly processes = new Map<string, StackProcess>();
  private readonly exits = new ExitWatch();
  private readonly lines: string[] = [];
  private temporaryDirectory: string | null = null;
  private cluster: TemporalCluster | null = null;
  private stopping: Promise<void> | null = null;
  /** Resolves, naming the process, if one exits that neither `kill` nor `stop` ended (the cluster's included). */
  readonly unexpectedExit = this.exits.unexpectedExit;
  // Processes in their own groups would outlive a launcher that crashed unless told to go.
  private readonly killOnExit = () => this.processes.forEach(({ current }) => current.child.kill('SIGTERM'));
  private readonly interrupt = () => {
    console.error('interrupted; stopping the stack …');
    void this.stop().finally(() => process.exit(130));
  };

  private constructor(private readonly plan: StackPlan) {
    this.addresses = stackAddresses(plan.environment);
    if (plan.ownProcessGroups) {
      process.once('exit', this.killOnExit);
      process.once('SIGINT', this.interrupt);
      process.once('SIGTERM', this.interrupt);
    }
  }

  /** Starts Temporal (when the stack's own), the simulator, the worker and the API, each awaited. */
  static async start(plan: StackPlan): Promise<Stack> {
    const stack = new Stack(plan);
    try {
      if (plan.temporal !== null && 'cluster' in plan.temporal) await stack.startCluster(plan.temporal);
      else if (plan.temporal !== null) await stack.startTemporal(plan.temporal);
      for (const app of ['simulator', 'worker', 'api'] as const) await stack.startApp(app, app, plan.apps?.[app]);
      return stack;
    } catch (error) {
      if (!plan.liveOutput) console.error(stack.recentOutput().join('\n'));
      await stack.stop();
      throw error;
    }
  }

  /**
   * Starts an app under `name` (another API instance, say) with the stack's environment plus
   * `additions`, awaited until it listens on the ports that environment gives it.
   */
  startApp(name: string, app: AppName, additions: NodeJS.ProcessEnv = {}): Promise<Supervised> {
    const env = { ...this.plan.environment, ...additions };
    return this.startNode(name, appEntryPoints[app], env, readinessPorts(app, stackAddresses(env)));
  }

  /** Starts a script of the lab (the bench's floor) with node, as an app is, awaited on `readyPorts`. */
  startScript(name: string, entryPoint: string, additions: NodeJS.ProcessEnv, readyPorts: readonly number[]): Promise<Supervised> {
    return this.startNode(name, entryPoint, { ...this.plan.environment, ...additions }, readyPorts);
  }

  /** kill -9: no shutdown hooks, in-flight work simply lost (PostgreSQL: see TemporalCluster.kill). Resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    const part = this.clusterPart(name);
    if (part !== null) return part.cluster.kill(part.name);
    const { current } = this.byName(name);
    this.exits.expectExit(current);
    current.child.kill('SIGKILL');
    await current.exited;
  }

  /** SIGTERM, as a deployment stops a process: its shutdown hooks run (a worker drains its tasks). Resolves once it is gone. */
  async stopApp(name: string, graceMs = 10_000): Promise<void> {
    const { current } = this.byName(name);
    this.exits.expectExit(current);
    await stopGracefully(current, graceMs);
  }

  /** Starts a killed process again as it was first started (Temporal: on the same store and port). */
  async restart(name: string): Promise<void> {
    const part = this.clusterPart(name);
    if (part !== null) return part.cluster.restart(part.name);
    await this.launch(name, this.byName(name).launch);
  }

  pid(name: string): number | undefined {
    return this.cluster?.processIds()[name] ?? this.byName(name).current.child.pid;
  }

  names(): string[] {
    return [...Object.keys(this.cluster?.processIds() ?? {}), ...this.processes.keys()];
  }

  /** The processes' lines, each prefixed with its name; the last `keptLines` of them. */
  recentOutput(): readonly string[] {
    return this.lines;
  }

  /** Stops the processes in reverse start order (apps before Temporal), so in-flight work drains. */
  stop(graceMs = 10_000): Promise<void> {
    this.stopping ??= (async () => {
      this.exits.close();
      for (const { current } of [...this.processes.values()].reverse()) await stopGracefully(current, graceMs);
      if (this.temporaryDirectory !== null) rmSync(this.temporaryDirectory, { recursive: true, force: true });
      await this.cluster?.stop();
      process.removeListener('exit', this.killOnExit);
      process.removeListener('SIGINT', this.interrupt);
      process.removeListener('SIGTERM', this.interrupt);
    })();
    return this.stopping;
  }

  private startTemporal(temporal: OwnTemporal): Promise<Supervised> {
    const { host, port, namespace } = this.addresses.temporal;
    const { store, uiPort, uiCodecEndpoint, sqlitePragmas, dynamicConfig } = temporal;
    const options: DevServerOptions = {
      ip: host,
      port,
      namespace,
      // Every merchant's namespace, each with the search attributes.
      otherNamespaces: listedMerchantNamespaces(this.plan.environment),
      uiPort,
      uiCodecEndpoint,
      sqlitePragmas,
      dynamicConfig,
      dbFilename: this.temporalDatabase(store),
      // The launcher's environment too: it may say where the Temporal CLI is (TEMPORAL_CLI_PATH).
      env: { ...process.env, ...this.plan.environment },
      output: this.collect,
      ownProcessGroup: this.plan.ownProcessGroups,
    };
    return this.launch('temporal', { spawn: () => spawnTemporalDevServer(options), host, readyPorts: devServerPorts(options) });
  }

  private async startCluster({ cluster }: OwnCluster): Promise<void> {
    const { port, namespace } = this.addresses.temporal;
    this.cluster = await startTemporalCluster({ ...cluster, port, namespaces: [namespace, ...listedMerchantNamespaces(this.plan.environment)], output: this.collect });
    this.exits.include(this.cluster.unexpectedExit);
  }

  private clusterPart(name: string): { cluster: TemporalCluster; name: ClusterPart } | null {
    return this.cluster !== null && isClusterPart(name) ? { cluster: this.cluster, name } : null;
  }

  private temporalDatabase(store: TemporalStore): string | null {
    if (store === 'memory') return null;
    if (store !== 'temporary-file') return store.file;
    this.temporaryDirectory = mkdtempSync(join(tmpdir(), 'stack-temporal-'));
    return join(this.temporaryDirectory, 'temporal.db');
  }

  private startNode(name: string, entryPoint: string, env: NodeJS.ProcessEnv, readyPorts: readonly number[]): Promise<Supervised> {
    const spawn = () => spawnPrefixed(name, process.execPath, [entryPoint], { env, cwd: this.plan.cwd, output: this.collect, ownProcessGroup: this.plan.ownProcessGroups });
    return this.launch(name, { spawn, host: this.addresses.host, readyPorts });
  }

  /** Spawns the process, supervised (and stopped by `stop`) from then on, and awaits its ports. */
  private async launch(name: string, launch: Launch): Promise<Supervised> {
    const previous = this.processes.get(name)?.current;
    if (previous !== undefined && !hasExited(previous)) throw new Error(`${name} is already running in the stack`);
    const started = launch.spawn();
    // A restarted process keeps its first place in the stop order (a Map keeps a key's position).
    this.processes.set(name, { current: started, launch });
    this.exits.watch(started);
    for (const port of launch.readyPorts) await waitForPort(launch.host, port, START_TIMEOUT_MS, started);
    return started;
  }

  private readonly collect = (line: string): void => {
    if (this.plan.liveOutput) process.stdout.write(`${line}\n`);
    this.lines.push(line);
    if (this.lines.length > this.plan.keptLines) this.lines.shift();
  };

  private byName(name: string): StackProcess {
    const entry = this.processes.get(name);
    if (entry === undefined) throw new Error(`no process named ${name} in the stack`);
    return entry;
  }
}

/** The ports an app opens once it is ready: a port of 0 is ephemeral or not served, so not awaited. */
function readinessPorts(app: AppName, addresses: StackAddresses): number[] {
  const ports = { simulator: [addresses.simulatorPort], worker: [addresses.workerHealthPort], api: [addresses.apiPort, addresses.operatorPort] }[app];
  return ports.filter((port) => port !== 0);
}
