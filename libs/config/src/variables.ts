import { z } from 'zod';

/** Building blocks for the apps' environment schemas, so every app reads a variable the same way. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  milliseconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** A positive whole number. */
  count: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** A positive whole number; unset leaves the choice to the library that uses it. */
  optionalCount: () => z.coerce.number().int().positive().optional(),
  text: (fallback: string) => z.string().min(1).default(fallback),
  requiredText: () => z.string().min(1),
  /** `true` or `false`, nothing looser: a typo must not silently flip a security setting. */
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true'),
  url: (fallback?: string) => {
    const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ''));
    return fallback === undefined ? url : url.default(fallback);
  },
  /** Comma-separated list, blanks dropped. */
  list: () =>
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      )
      .pipe(z.array(z.string()).min(1, 'must hold at least one item')),
} as const;

/** The interface a server binds to: loopback unless a container sets 0.0.0.0. */
export const hostVariable = { HOST: env.text('127.0.0.1') } as const;

/** localhost, 127.0.0.0/8 or ::1 (bare or in a URL's brackets): this host only, reached over no network. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
