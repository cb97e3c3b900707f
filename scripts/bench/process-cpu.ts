import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const TICKS_PER_SECOND = 100;

/** The entry of `coresBusy` for CPU used by processes outside the benchmark (another workload, the OS). */
const OTHER_PROCESSES = 'other';
/** The entry of `coresBusy` for this process, which runs autocannon. */
const LOAD_GENERATOR = 'load generator';

/** Started at the beginning of a step; says how busy each process kept the CPU during it. */
export interface CpuWindow {
  /**
   * Average cores each process used since the window opened (1 = one core fully busy), plus
   * `other`: the rest of the machine's busy time, which shows whether something else competed.
   */
  coresBusy(): Record<string, number>;
}

/**
 * Watches the stack's processes by pid through /proc, each with its child processes (PostgreSQL
 * serves every session in one), and this process, which runs autocannon, without its own
 * (they are the stack): where a step's CPU went, so what bounds it. Where /proc is missing
 * (macOS), the window reports nothing rather than fail the benchmark.
 */
export function openCpuWindow(stackProcessIds: Readonly<Record<string, number>>): CpuWindow {
  const openedAt = performance.now();
  const machineBefore = machineBusySeconds();
  const watched: [name: string, cpuSeconds: () => number | null][] = [
    ...Object.entries(stackProcessIds).map(([name, pid]): [string, () => number | null] => [name, () => treeCpuSeconds(pid)]),
    [LOAD_GENERATOR, () => ownCpuSeconds(process.pid)],
  ];
  const before = new Map(watched.map(([name, cpuSeconds]) => [name, cpuSeconds()]));
  return {
    coresBusy: () => {
      const wallSeconds = (performance.now() - openedAt) / 1000;
      const machineAfter = machineBusySeconds();
      const busy: Record<string, number> = {};
      let watchedSeconds = 0;
      for (const [name, cpuSeconds] of watched) {
        const start = before.get(name);
        const end = cpuSeconds();
        if (start === undefined || start === null || end === null || wallSeconds <= 0) continue;
        watchedSeconds += end - start;
        busy[name] = round((end - start) / wallSeconds);
      }
      if (machineBefore !== null && machineAfter !== null && wallSeconds > 0) {
        busy[OTHER_PROCESSES] = round(Math.max(0, machineAfter - machineBefore - watchedSeconds) / wallSeconds);
      }
      return busy;
    },
  };
}

function round(cores: number): number {
  return Math.round(cores * 100) / 100;
}

/**
 * Busy time of all the machine's CPUs together, or null without /proc. Idle, I/O wait and steal
 * (a VM's CPU time taken by the host) are not work done on this machine.
 */
function machineBusySeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in ticks.
  const ticks = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 8).map(Number);
  if (ticks.length < 7 || ticks.some((value) => !Number.isFinite(value))) return null;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = ticks;
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

/** User plus system CPU time of a whole process (all its threads), or null if it cannot be read. */
function ownCpuSeconds(pid: number): number | null {
  return statTicks(pid, 2);
}

/**
 * A process's CPU time with its descendants': the live ones' own, and (cutime, cstime) what its
 * children that have exited used. Null if the process itself cannot be read.
 */
function treeCpuSeconds(pid: number): number | null {
  const own = statTicks(pid, 4);
  if (own === null) return null;
  return own + childProcessIds(pid).reduce((sum, child) => sum + (treeCpuSeconds(child) ?? 0), 0);
}

/** The first `count` of utime, stime, cutime, cstime, summed, in seconds. */
function statTicks(pid: number, count: 2 | 4): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; utime, stime, cutime and cstime are fields 14 to 17, counted after it.
  const ticks = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 11 + count)
    .map(Number);
  return ticks.length === count && ticks.every(Number.isFinite) ? ticks.reduce((sum, value) => sum + value, 0) / TICKS_PER_SECOND : null;
}

/** The live children of every thread of the process (a process gone meanwhile has none). */
function childProcessIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((text) => text !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}
