// @ts-check
/**
 * Makes a checkout ready to run: installs dependencies when package-lock.json changed, and builds
 * when a source changed. Plain JavaScript because it runs before anything is installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installStamp = join(root, 'node_modules/.install-stamp');
const buildStamp = join(root, 'dist/.build-stamp');
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

const lockFingerprint = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
if (!isCurrent(installStamp, lockFingerprint)) {
  console.error('Installing dependencies …');
  // `npm install` with a lock file installs exactly the locked versions. Not `npm ci`: npm 11
  // leaves other platforms' optional binaries out of the lock, then `npm ci` rejects that lock.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  stamp(installStamp, lockFingerprint);
}

const sources = sourcesFingerprint();
if (!isCurrent(buildStamp, sources)) {
  console.error('Building …');
  run('npm', ['run', 'build', '--silent']);
  stamp(buildStamp, sources);
}
