// @ts-check
/**
 * `npm run build`: the three apps, the scripts and the workflow bundles into dist/. Each compile
 * is one single-threaded tsc, so two chains run at once (CI and the reference machine have two
 * cores): the API then the simulator, and the worker then its workflow bundles (built from the
 * worker's output). The scripts come last, once both chains are done: `tsc -p tsconfig.scripts.json`
 * also writes the app sources the scripts import under dist/apps/<app>/, which an app's own build
 * deletes first (`deleteOutDir`, nest-cli.json).
 *
 * Run through npm, which puts node_modules/.bin on the PATH. Exits with the first failure's code.
 */
import { spawn } from 'node:child_process';

/** @param {string} command @param {string[]} args @returns {Promise<void>} */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`\`${command} ${args.join(' ')}\` failed (exit ${code ?? signal})`))));
  });
}

// Both chains are awaited, a failed one's partner included, so no compiler outlives the build.
const chains = await Promise.allSettled([
  run('nest', ['build', 'api']).then(() => run('nest', ['build', 'simulator'])),
  run('nest', ['build', 'worker']).then(() => run('node', ['dist/apps/worker/apps/worker/src/bundle-workflows.js', 'dist/workflow-bundle.js'])),
]);
try {
  for (const chain of chains) if (chain.status === 'rejected') throw chain.reason;
  await run('tsc', ['-p', 'tsconfig.scripts.json']);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
