import { spawnSync } from 'node:child_process';
import { findOnPath, isExecutable } from '../../scripts/lib/executables';

const CANDIDATES = ['chromium', 'chromium-browser'];

/**
 * Debian's chromium for the browser tests: CHROMIUM_PATH, else on PATH, else installed with
 * apt-get when running as root (CI containers); otherwise a clear message on how to get it.
 * Playwright's own browser downloads are never used.
 */
export function locateChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') {
    if (!isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file.`);
    return configured;
  }
  const found = () => CANDIDATES.map((name) => findOnPath(name, env.PATH ?? '')).find((path) => path !== null) ?? null;
  const onPath = found();
  if (onPath !== null) return onPath;
  if (process.getuid?.() === 0 && findOnPath('apt-get', env.PATH ?? '') !== null) {
    console.log('chromium not found; installing it with apt-get (Debian package "chromium") …');
    const install = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y --no-install-recommends chromium'], {
      stdio: 'inherit',
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
    const installed = found();
    if (install.status === 0 && installed !== null) return installed;
  }
  throw new Error(
    [
      'The browser tests need Chromium, and it could not be found or installed.',
      'Install it, then run the tests again:',
      '  - Debian/Ubuntu: sudo apt-get install chromium (or chromium-browser)',
      '  - elsewhere: install Chromium or Chrome and set CHROMIUM_PATH to its executable',
    ].join('\n'),
  );
}
