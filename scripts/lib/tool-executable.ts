import { join } from 'node:path';
import { findOnPath, isExecutable } from './executables';
import { installPythonTool, requirementOf, type PythonTool } from './python-tool';

/** A native executable the project runs, published on PyPI as a wheel holding just that file under bin/. */
export interface ToolExecutable {
  /** How messages name it, e.g. `The Temporal CLI`. */
  name: string;
  /** The executable's file name, on PATH and under the wheel's bin/. */
  command: string;
  /** The variable that names an existing executable, ahead of any search. */
  pathVariable: string;
  python: PythonTool;
  /** Other ways to get it, one line each, for the error when nothing worked. */
  otherInstalls: readonly string[];
}

/**
 * Finds a tool: its path variable, else `command` on PATH, else a copy installed with pip into the
 * git-ignored .tools folder (installing it if needed). Never downloads from the tool's own site,
 * so it works where only package registries are reachable.
 */
export function locateToolExecutable(tool: ToolExecutable, env: NodeJS.ProcessEnv): string {
  const configured = env[tool.pathVariable];
  if (configured !== undefined && configured !== '') {
    if (!isExecutable(configured)) throw new Error(`${tool.pathVariable}=${configured} is not an executable file.`);
    return configured;
  }
  const onPath = findOnPath(tool.command, env.PATH ?? '');
  if (onPath !== null) return onPath;

  const directory = installPythonTool(tool.python, `${tool.name} not found`);
  if (directory !== null && isExecutable(join(directory, 'bin', tool.command))) return join(directory, 'bin', tool.command);
  throw new Error(
    [
      `${tool.name} is needed and could not be installed automatically.`,
      'Install it one of these ways, then run the command again:',
      `  - python3 -m pip install --target .tools/${tool.python.folder} ${requirementOf(tool.python)}`,
      ...tool.otherInstalls.map((line) => `  - ${line}`),
      `  - set ${tool.pathVariable} to an existing \`${tool.command}\` executable`,
    ].join('\n'),
  );
}
