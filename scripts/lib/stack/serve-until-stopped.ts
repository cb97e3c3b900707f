import { runAgainstStack } from '../supervised-run';
import type { Stack } from './stack';

/**
 * Prints a started stack's banner (`title`, then one line per address) and keeps the stack up
 * until Ctrl-C (the stack stops itself) or until one of its processes exits unasked: then the rest
 * is stopped, as a half-running stack only misleads.
 */
export async function serveUntilStopped(stack: Stack, title: string, lines: readonly string[]): Promise<void> {
  console.log(['', `${title}:`, ...lines.map((line) => `  ${line}`), 'Press Ctrl-C to stop.', ''].join('\n'));
  await runAgainstStack(
    stack,
    () => new Promise<never>(() => undefined),
    (reason) => `${reason}; stopped the rest`,
  );
}
