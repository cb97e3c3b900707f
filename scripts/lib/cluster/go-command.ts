import { execFileSync, spawn } from 'node:child_process';
import { findOnPath } from '../executables';

/**
 * Go 1.21 is the first release that fetches the toolchain a module asks for (GOTOOLCHAIN=auto,
 * https://go.dev/doc/toolchain); the Temporal server needs a newer Go than most systems have.
 */
const MIN_GO_MINOR = 21;

/** Lines of `go` output that mean the module proxy, not the build, failed. */
const PROXY_TROUBLE = /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|proxyconnect|\b(403|404|410) (Forbidden|Not Found|Gone)\b|reading .*: (403|404|410)/;

/** The `go` command, run with GOTOOLCHAIN=auto and the developer's own proxy settings. */
export interface GoCommand {
  go: string;
  env: NodeJS.ProcessEnv;
}

export function locateGo(env: NodeJS.ProcessEnv = process.env): GoCommand {
  const go = findOnPath('go', env.PATH ?? '');
  if (go === null) {
    throw new Error(
      [
        'Go is needed to build the Temporal server, its SQL tool and the Web UI server (once; they are kept in .tools/).',
        `Install Go 1.${MIN_GO_MINOR} or newer (e.g. apt-get install golang-go, or the release from go.dev) and put \`go\` on PATH; it fetches the Go version the server needs itself.`,
      ].join('\n'),
    );
  }
  const command = { go, env: { ...env, GOTOOLCHAIN: 'auto' } };
  const version = goEnv(command, 'GOVERSION');
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? 0);
  if (minor < MIN_GO_MINOR) throw new Error(`${go} is ${version}; Go 1.${MIN_GO_MINOR} or newer is needed, as only it fetches the Go version the Temporal server needs.`);
  return command;
}

/** One `go env` value, e.g. GOMODCACHE or GOPROXY. */
export function goEnv(command: GoCommand, name: string): string {
  // With GOTOOLCHAIN=auto, a plain `go env` outside a module runs the local toolchain: quick.
  return execFileSync(command.go, ['env', name], { env: command.env, encoding: 'utf8' }).trim();
}

/**
 * Runs `go args…`, passing its lines to `output`. A failure says whether the module proxy was the
 * trouble (it is the only network the build needs), with go's own last lines either way.
 */
export function runGo(command: GoCommand, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; output: (line: string) => void }): Promise<void> {
  const child = spawn(command.go, args, { cwd: options.cwd, env: { ...command.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk
      .toString('utf8')
      .split('\n')
      .filter((text) => text !== '')) {
      options.output(line);
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      const proxyLine = lines.find((line) => PROXY_TROUBLE.test(line));
      reject(
        new Error(
          proxyLine === undefined
            ? `go ${args.join(' ')} failed (exit ${code}):\n${lines.join('\n')}`
            : `the Go module proxy (GOPROXY=${goEnv(command, 'GOPROXY')}) could not serve the build: ${proxyLine}\nThe build needs it once; set GOPROXY to a proxy this machine reaches, then run the command again.`,
        ),
      );
    });
  });
}
