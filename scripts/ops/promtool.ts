import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runGo } from '../lib/cluster/go-command';
import { buildInto } from '../lib/cluster/temporal-build';
import { repoRoot } from '../lib/paths';

/** Prometheus's rule checker and rule unit tester, pinned like the Temporal server (scripts/lib/cluster/temporal-build.ts). */
export const PROMTOOL_VERSION = 'v0.316.0';

/** The rules and their unit tests (docs/operations.md, "Dashboards and alerts"). */
export const PROMETHEUS_DIR = join(repoRoot, 'ops/prometheus');
export const RULE_FILES = ['payments.rules.yml'] as const;
export const RULE_TEST_FILES = ['payments.rules.test.yml'] as const;

/** Builds (once; later calls find it in the git-ignored .tools/) promtool from the Go module proxy. */
export async function ensurePromtool(output: (line: string) => void): Promise<string> {
  const home = join(repoRoot, '.tools', `promtool-${PROMTOOL_VERSION}`);
  const promtool = join(home, 'bin/promtool');
  if (existsSync(home)) return promtool;
  output(`building promtool ${PROMTOOL_VERSION} from the Go module proxy, once (a few minutes of 2 cores when Go's caches are cold) …`);
  await buildInto(home, async (staging, go) => {
    await runGo(go, ['install', '-ldflags=-s -w', `github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_VERSION}`], { env: { GOBIN: join(staging, 'bin') }, output });
  });
  return promtool;
}

export interface PromtoolRun {
  code: number;
  output: string;
}

/** Runs promtool in ops/prometheus (rule files name each other relative to it); a non-zero exit is returned, not thrown. */
export async function runPromtool(promtool: string, args: readonly string[]): Promise<PromtoolRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(promtool, args, { cwd: PROMETHEUS_DIR, timeout: 120_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error: unknown) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
