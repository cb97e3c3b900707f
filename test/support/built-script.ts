import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths';

/** Time a script gets to stop its own stack after SIGTERM before it is killed. */
const STOP_GRACE_MS = 20_000;

/**
 * Runs a built script (`dist/scripts/...`) as `npm run` would, collecting its output. Past
 * `timeoutMs` it is asked to stop (so it stops its private stack), then killed.
 */
export function runBuiltScript(script: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/scripts', script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const terminate = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs + STOP_GRACE_MS);
    child.once('exit', (code) => {
      clearTimeout(terminate);
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}
