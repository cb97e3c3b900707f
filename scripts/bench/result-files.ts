import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes result-<timestamp>.json and latest.json; returns the timestamped file's path. */
export function writeResultFiles(directory: string, result: { startedAt: string }): string {
  mkdirSync(directory, { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const file = join(directory, `result-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, text);
  writeFileSync(join(directory, 'latest.json'), text);
  return file;
}
