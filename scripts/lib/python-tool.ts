import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** A command-line tool published on PyPI, installed with pip into its own git-ignored .tools/ folder. */
export interface PythonTool {
  /** The folder under .tools/, e.g. `temporal`. */
  folder: string;
  /** The PyPI project and the exact version the project pins. */
  project: string;
  version: string;
}

/** What pip is asked for: exactly the pinned version. */
export function requirementOf(tool: PythonTool): string {
  return `${tool.project}==${tool.version}`;
}

export function toolDirectory(tool: PythonTool): string {
  return join(repoRoot, '.tools', tool.folder);
}

/**
 * The tool's folder, installed with pip on first use and reused afterwards; null when pip failed
 * (its output has been shown), so the caller can say how else to get the tool. A folder holding
 * another version is installed over, so a bumped pin takes effect by itself.
 */
export function installPythonTool(tool: PythonTool, reason: string): string | null {
  const directory = toolDirectory(tool);
  if (isInstalled(tool)) return directory;
  console.log(`${reason}; installing ${requirementOf(tool)} with pip into ${directory} …`);
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', '--target', directory, requirementOf(tool)], {
    stdio: 'inherit',
  });
  return pip.status === 0 && isInstalled(tool) ? directory : null;
}

/** pip --target leaves <project>-<version>.dist-info, the project's - and . written as _. */
function isInstalled(tool: PythonTool): boolean {
  return existsSync(join(toolDirectory(tool), `${tool.project.replace(/[-.]/g, '_')}-${tool.version}.dist-info`));
}
