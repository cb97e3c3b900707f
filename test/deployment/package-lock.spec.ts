import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths';

interface PackageJson {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
}

/**
 * The bootstrap, the Dockerfile and most pipelines install with `npm ci`, which refuses a lock that
 * disagrees with package.json (an edited dependency, a lock cut down by an older npm). .ci/run
 * checks this before anything else; here it is checked again so that `npm test` and
 * `npm run test:unit` catch it on a developer's machine, where the bootstrap installs only when the
 * lock itself changes.
 */
describe('package-lock.json', () => {
  it('is accepted by `npm ci` (checked with --dry-run: nothing is installed or changed)', () => {
    const check = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });

    // npm's own error (which packages are missing or differ) is the useful part of a failure.
    expect({ status: check.status, stderr: check.status === 0 ? '' : check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('names one node range in engines and devEngines', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

    expect(manifest.devEngines.runtime).toMatchObject({ name: 'node', version: manifest.engines.node });
  });
});
