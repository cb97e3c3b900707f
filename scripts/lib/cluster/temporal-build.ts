import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths';
import { locateGo, runGo } from './go-command';

/** The server every test runs against (the CLI's dev server 1.9.1 embeds 1.32 too). */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/** The Web UI server whose dependencies match that server's API (go.temporal.io/api v1.64). */
export const TEMPORAL_UI_SERVER_VERSION = 'v2.58.1';

const SERVER_MODULE = 'go.temporal.io/server';
const UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2';

/**
 * Versions the UI server's go.mod asks for that the module proxy does not serve; the nearest ones
 * it does serve replace them, in a module of our own that only builds the UI server's command.
 */
const UI_SERVER_REPLACEMENTS: Readonly<Record<string, string>> = {
  'github.com/labstack/echo/v4 v4.16.1': 'github.com/labstack/echo/v4 v4.16.0',
  'go.temporal.io/api v1.64.0': 'go.temporal.io/api v1.64.1',
};

export interface TemporalServerBuild {
  /** `server --config-file FILE start`: every service in one process. */
  server: string;
  /** The schema tool (temporal-sql-tool), with the schemas of that server version built in. */
  sqlTool: string;
}

const toolsDir = join(repoRoot, '.tools');

/** Builds (once; later calls find it in the git-ignored .tools/) the pinned server and its schema tool from the Go module proxy. */
export async function ensureTemporalServerBuild(output: (line: string) => void): Promise<TemporalServerBuild> {
  const home = join(toolsDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const build = { server: join(home, 'bin/server'), sqlTool: join(home, 'bin/sql') };
  if (existsSync(home)) return build;
  output(`building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module proxy, once (about 4 minutes of 2 cores when Go's caches are cold) …`);
  await buildInto(home, async (staging, go) => {
    const packages = [`${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];
    // -s -w: no symbol tables; the binaries shrink by a third (166 + 58 MB → 116 + 40 MB).
    await runGo(go, ['install', '-ldflags=-s -w', ...packages], { env: { GOBIN: join(staging, 'bin') }, output });
  });
  return build;
}

/** Builds (once) the pinned Web UI server; its assets are inside the Go module. */
export async function ensureUiServerBuild(output: (line: string) => void): Promise<string> {
  const home = join(toolsDir, `temporal-ui-server-${TEMPORAL_UI_SERVER_VERSION}`);
  const binary = join(home, 'bin/ui-server');
  if (existsSync(home)) return binary;
  output(`building the Temporal Web UI server ${TEMPORAL_UI_SERVER_VERSION} from the Go module proxy, once …`);
  await buildInto(home, async (staging, go) => {
    const moduleDir = join(staging, 'module');
    mkdirSync(moduleDir, { recursive: true });
    const replacements = Object.entries(UI_SERVER_REPLACEMENTS).map(([wanted, served]) => `replace ${wanted} => ${served}\n`);
    writeFileSync(join(moduleDir, 'go.mod'), `module temporal-ui-server-build\n\ngo 1.26\n\n${replacements.join('')}`);
    const command = `${UI_SERVER_MODULE}/cmd/server`;
    await runGo(go, ['get', `${command}@${TEMPORAL_UI_SERVER_VERSION}`], { cwd: moduleDir, output });
    await runGo(go, ['build', '-ldflags=-s -w', '-o', join(staging, 'bin/ui-server'), command], { cwd: moduleDir, output });
    rmSync(moduleDir, { recursive: true, force: true });
  });
  return binary;
}

/**
 * Builds in a fresh folder beside `home` and renames it into place when complete: an interrupted
 * build leaves no half-built `home` behind, and of two concurrent builds the first to finish wins.
 */
export async function buildInto(home: string, build: (staging: string, go: ReturnType<typeof locateGo>) => Promise<void>): Promise<void> {
  const go = locateGo();
  mkdirSync(toolsDir, { recursive: true });
  const staging = mkdtempSync(`${home}.building-`);
  try {
    await build(staging, go);
    if (!existsSync(home)) renameSync(staging, home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
