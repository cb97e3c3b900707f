// @ts-check
/**
 * Makes a checkout ready to run: installs dependencies when package-lock.json changed, and builds
 * when a source changed. Plain JavaScript because it runs before anything is installed.
 *
 * It writes only git-ignored paths (node_modules/, dist/, the lock file), so `git status` stays
 * clean; it never rewrites package-lock.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, releaseOnExit } from './exclusive-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installStamp = join(root, 'node_modules/.install-stamp');
const buildStamp = join(root, 'dist/.build-stamp');
/** Outside node_modules/, which `npm ci` deletes first. Git-ignored, with its drafts. */
const bootstrapLock = join(root, '.bootstrap.lock');
const BUILD_INPUTS = ['apps', 'libs', 'scripts', 'package-lock.json', 'tsconfig.json', 'tsconfig.scripts.json', 'nest-cli.json'];

/** @param {string} command @param {string[]} args */
function run(command, args) {
  // Progress goes to stderr, so `$(npm run --silent …)` captures only the command's own output.
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/** @param {string} stampFile @param {string} fingerprint */
function isCurrent(stampFile, fingerprint) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint;
}

/** @param {string} stampFile @param {string} fingerprint */
function stamp(stampFile, fingerprint) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, fingerprint);
}

/** Names, sizes and modification times of every build input: cheap, and changes with any edit. */
function sourcesFingerprint() {
  const hash = createHash('sha256');
  /** @param {string} path */
  const visit = (path) => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else {
      hash.update(`${path}\0${stats.size}\0${stats.mtimeMs}\n`);
    }
  };
  for (const input of BUILD_INPUTS) visit(join(root, input));
  return hash.digest('hex');
}

// Two commands started together (`npm run start:api & npm run start:worker`) share node_modules/
// and dist/: one installs and builds, the other waits, then finds both stamps current.
const release = await acquireLock(bootstrapLock, {
  onWait: (pid) => console.error(`Waiting for another bootstrap (pid ${pid}) to finish installing and building … (if no such process runs, remove ${relative(root, bootstrapLock)})`),
});
releaseOnExit(release);

// The install command is part of the stamp, so checkouts installed by an earlier bootstrap (with
// `npm install`, possibly without devDependencies) are installed again once.
const lockFingerprint = `npm ci --include=dev ${createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex')}`;
if (!isCurrent(installStamp, lockFingerprint)) {
  console.error('Installing dependencies …');
  // `npm ci` installs exactly the lock and fails, rather than rewriting it, when package.json and
  // the lock disagree (as it did with a lock an older npm had cut down to one platform's optional
  // binaries; .ci/run checks the lock first). devDependencies whatever NODE_ENV says (production
  // omits them by default): the build needs nest and tsc.
  run('npm', ['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
  stamp(installStamp, lockFingerprint);
}

const sources = sourcesFingerprint();
if (!isCurrent(buildStamp, sources)) {
  console.error('Building …');
  run('npm', ['run', 'build', '--silent']);
  stamp(buildStamp, sources);
}

release();
