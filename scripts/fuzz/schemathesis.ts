import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { installPythonTool, requirementOf, type PythonTool } from '../lib/python-tool';

/** PyPI's schemathesis: property-based requests generated from the OpenAPI document. */
export const SCHEMATHESIS: PythonTool = { folder: 'schemathesis', project: 'schemathesis', version: '4.32.5' };

/** OPENAPI_JSON_PATH of apps/api/src/openapi/api-docs.ts, whose imports (Nest, path aliases) scripts cannot load. */
const OPENAPI_DOCUMENT_PATH = 'docs-json';

/**
 * The checks every response must pass. Left out on purpose: positive_data_acceptance, because the
 * document's request schemas are the orchestrator's own checks, and the upstream's richer
 * validation then refuses most generated bodies with its documented 400 (passed through);
 * unsupported_method, because an undeclared method gets the documented 404 "Route not found."
 * body of the path's family rather than 405.
 */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'negative_data_rejection',
  'missing_required_header',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
] as const;

/** Where a run leaves its files, under the output directory. */
export const REPORT_FILES = { json: 'schemathesis.json', junit: 'junit.xml', output: 'output.txt' } as const;

export interface SchemathesisRun {
  apiUrl: string;
  token: string;
  maxExamples: number;
  maxSeconds: number;
  seed: number;
  outputDirectory: string;
  /** Each line schemathesis prints, as it prints it. */
  output: (line: string) => void;
}

/** The installed schemathesis's folder, installing it with pip on first use. */
export function locateSchemathesis(): string {
  const directory = installPythonTool(SCHEMATHESIS, 'schemathesis not installed yet');
  if (directory !== null) return directory;
  throw new Error(
    [
      'Fuzzing needs schemathesis, and pip could not install it.',
      `Install it by hand, then run the command again: python3 -m pip install --target .tools/schemathesis ${requirementOf(SCHEMATHESIS)}`,
    ].join('\n'),
  );
}

/** The command line, all phases; the token goes only into the header, which schemathesis masks in its output. */
export function schemathesisArguments(run: Omit<SchemathesisRun, 'output'>): string[] {
  return [
    '-m',
    'schemathesis.cli',
    'run',
    `${run.apiUrl}/${OPENAPI_DOCUMENT_PATH}`,
    '--header',
    `Authorization: Bearer ${run.token}`,
    '--checks',
    FUZZ_CHECKS.join(','),
    '--max-examples',
    String(run.maxExamples),
    '--max-time',
    String(run.maxSeconds),
    '--seed',
    String(run.seed),
    // Failures remembered from earlier runs would make the seed alone not reproduce a run.
    '--generation-database',
    'none',
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--wait-for-schema',
    '30',
    '--report',
    'json,junit',
    '--report-json-path',
    join(run.outputDirectory, REPORT_FILES.json),
    '--report-junit-path',
    join(run.outputDirectory, REPORT_FILES.junit),
    '--no-color',
  ];
}

/** Grace past --max-time for loading the document and shrinking a failure, before the run is killed. */
const KILL_GRACE_MS = 60_000;

/**
 * Runs schemathesis to completion (or kills it past its budget and the grace period), copying
 * its output to output.txt. Resolves with its exit code, or null when it had to be killed.
 */
export function runSchemathesis(run: SchemathesisRun): Promise<number | null> {
  const directory = locateSchemathesis();
  const child = spawn('python3', schemathesisArguments(run), {
    // Its own working directory: no configuration file or example database of the repository's is read.
    cwd: run.outputDirectory,
    env: { ...process.env, PYTHONPATH: directory, PYTHONIOENCODING: 'utf-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const transcript = createWriteStream(join(run.outputDirectory, REPORT_FILES.output));
  let pending = '';
  const onData = (chunk: Buffer) => {
    transcript.write(chunk);
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(run.output);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let killed = false;
  const timer = setTimeout(
    () => {
      killed = true;
      child.kill('SIGKILL');
    },
    run.maxSeconds * 1000 + KILL_GRACE_MS,
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (pending !== '') run.output(pending);
      transcript.end(() => resolve(killed ? null : code));
    });
  });
}
