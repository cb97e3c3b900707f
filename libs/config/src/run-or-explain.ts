import { ConfigError } from './load-config';

/**
 * Runs a process's main function. A configuration problem is printed as a plain list of the bad
 * variables (no stack trace to wade through); anything else is printed in full. Both exit with 1.
 */
export function runOrExplain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
