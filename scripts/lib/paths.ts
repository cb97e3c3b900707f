import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, whether this file runs from source (tests) or from dist (npm scripts). */
export const repoRoot: string = findUp(__dirname);

function findUp(directory: string): string {
  if (existsSync(join(directory, 'nest-cli.json'))) return directory;
  const parent = dirname(directory);
  if (parent === directory) throw new Error('cannot find the repository root (nest-cli.json)');
  return findUp(parent);
}

/** How each app is started, by the npm scripts, the local stack and the end-to-end tests alike. */
export const appEntryPoints = {
  api: join(repoRoot, 'dist/apps/api/apps/api/src/main.js'),
  worker: join(repoRoot, 'dist/apps/worker/apps/worker/src/main.js'),
  simulator: join(repoRoot, 'dist/apps/simulator/apps/simulator/src/main.js'),
} as const;
