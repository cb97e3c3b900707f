import type { Payload } from '@temporalio/common';

/** Every payload inside a history event, with where it sits; search attributes are skipped (never encrypted). */
export function* payloadsIn(node: unknown, path: string[] = []): Generator<{ path: string; payload: Payload }> {
  if (typeof node !== 'object' || node === null || path.at(-1) === 'searchAttributes') return;
  if ('metadata' in node && 'data' in node) {
    yield { path: path.join('.'), payload: node as Payload };
    return;
  }
  for (const [name, child] of Object.entries(node)) yield* payloadsIn(child, [...path, name]);
}
