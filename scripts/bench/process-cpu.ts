import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const TICKS_PER_SECOND = 100;

/** The entry of `coresBusy` for CPU used by processes outside the benchmark (another workload, the OS). */
const OTHER_PROCESSES = 'other';

/** Started at the beginning of a step; says how busy each process kept the CPU during it. */
export interface CpuWindow {
  /**
   * Average cores each process used since the window opened (1 = one core fully busy), plus
   * `other`: the rest of the machine's busy time, which shows whether something else competed.
   */
  coresBusy(): Record<string, number>;
}

/**
 * Watches processes by pid through /proc, to show where a step's CPU went (what bounds it).
 * Where /proc is missing (macOS), the window reports nothing rather than fail the benchmark.
 */
export function openCpuWindow(processIds: Readonly<Record<string, number>>): CpuWindow {
  const openedAt = performance.now();
  const machineBefore = machineBusySeconds();
  const before = new Map(Object.entries(processIds).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return {
    coresBusy: () => {
      const wallSeconds = (performance.now() - openedAt) / 1000;
      const machineAfter = machineBusySeconds();
      const busy: Record<string, number> = {};
      let watchedSeconds = 0;
      for (const [name, pid] of Object.entries(processIds)) {
        const start = before.get(name);
        const end = cpuSeconds(pid);
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
function cpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15, counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return Number.isFinite(userTicks) && Number.isFinite(systemTicks) ? (userTicks + systemTicks) / TICKS_PER_SECOND : null;
}
