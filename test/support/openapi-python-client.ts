import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { installPythonTool, requirementOf, type PythonTool } from '../../scripts/lib/python-tool';

/** PyPI's openapi-python-client, the generator docs/api.md names for Python clients, at the version it names. */
export const OPENAPI_PYTHON_CLIENT: PythonTool = { folder: 'openapi-python-client', project: 'openapi-python-client', version: '0.29.1' };

/** The generated package's name, which docs/examples/python_client_create_order.py imports. */
export const PYTHON_CLIENT_PACKAGE = 'payment_orchestrator_client';

/**
 * Generates the Python client of `documentFile` into `directory`/payment_orchestrator_client with the
 * command docs/api.md gives, installing the generator into .tools/ on first use, and returns the
 * PYTHONPATH under which it imports (the generator's folder brings httpx and attrs, the client's
 * only dependencies).
 */
export function generatePythonClient(documentFile: string, directory: string): string {
  const tool = installPythonTool(OPENAPI_PYTHON_CLIENT, 'openapi-python-client not installed yet');
  if (tool === null)
    throw new Error(
      `pip could not install ${requirementOf(OPENAPI_PYTHON_CLIENT)}; install it with: python3 -m pip install --target .tools/${OPENAPI_PYTHON_CLIENT.folder} ${requirementOf(OPENAPI_PYTHON_CLIENT)}`,
    );
  const pythonPath = [tool, directory].join(delimiter);
  const generate = spawnSync(
    'python3',
    ['-m', 'openapi_python_client', 'generate', '--path', documentFile, '--meta', 'none', '--output-path', join(directory, PYTHON_CLIENT_PACKAGE)],
    // The tool's bin/ holds the ruff it runs over what it wrote, as it would on a developer's PATH.
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYTHONPATH: pythonPath, PATH: [join(tool, 'bin'), process.env.PATH ?? ''].join(delimiter) } },
  );
  if (generate.error !== undefined) throw generate.error;
  // It exits 0 even when it skipped parts of the document, saying so in a warning: either is a failure here.
  const output = `${generate.stdout}${generate.stderr}`;
  if (generate.status !== 0 || /warning|error/i.test(output)) throw new Error(`openapi-python-client failed on ${documentFile} (exit ${generate.status}):\n${output}`);
  return pythonPath;
}
