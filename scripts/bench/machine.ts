import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { locateTemporalCli } from '../lib/temporal-cli';

/** The machine a run measured: numbers mean little without it. */
export interface MachineDescription {
  cpuCount: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
}

export function describeMachine(): MachineDescription {
  const processors = cpus();
  return {
    cpuCount: processors.length,
    cpuModel: processors[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    temporalCli: execFileSync(locateTemporalCli(), ['--version'], { encoding: 'utf8' }).trim(),
  };
}
