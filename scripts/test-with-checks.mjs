// @ts-check
/**
 * `npm test` once the bootstrap has built: jest (every project, in band), with the static checks
 * (`typecheck`, `lint`, `format:check`, one after the other) run beside it instead of before it.
 * The end-to-end suites spend most of their time waiting on real timeouts, restarts and polls,
 * with a core idle; the checks fill it. Jest's output streams as it comes; the checks' is kept and
 * printed after jest's, under a heading, with a one-line verdict as soon as they end.
 *
 * Arguments go to jest (`npm test -- --selectProjects unit`). Exits 1 when either side failed.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'lint', 'format:check'];

/** @param {string} command @param {string[]} args @param {boolean} keepOutput @returns {Promise<{ code: number, output: string }>} */
function run(command, args, keepOutput) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: keepOutput ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    /** @type {Buffer[]} */
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(output).toString('utf8') }));
  });
}

const checks = (async () => {
  let output = '';
  for (const check of CHECKS) {
    const result = await run('npm', ['run', check], true);
    output += result.output;
    if (result.code !== 0) {
      console.error(`\nnpm test: \`npm run ${check}\` failed (its output follows jest's)\n`);
      return { code: result.code, output };
    }
  }
  console.error(`\nnpm test: ${CHECKS.join(', ')} passed\n`);
  return { code: 0, output };
})();

const jest = await run('jest', ['--runInBand', ...process.argv.slice(2)], false);
const checked = await checks;
console.error(`\n── ${CHECKS.join(', ')} ──`);
process.stderr.write(checked.output);
if (jest.code !== 0 || checked.code !== 0) process.exit(1);
