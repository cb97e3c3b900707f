/** What a command needs of a private stack to run against it safely. */
export interface SupervisedStack {
  /** Resolves, naming the process, if one of the stack's processes exits unasked. */
  unexpectedExit: Promise<string>;
  recentOutput(): readonly string[];
  stop(): Promise<void>;
}

/**
 * Runs `work` against a private stack and always stops the stack: on success, on failure (after
 * printing the apps' last lines), and on Ctrl-C. A stack process that dies unasked fails the run at
 * once, instead of surfacing later as puzzling 500s or timeouts.
 */
export async function runAgainstStack<T>(stack: SupervisedStack, work: () => Promise<T>, explainExit: (reason: string) => string): Promise<T> {
  const interrupt = () => {
    console.error('interrupted; stopping the stack …');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const working = work();
    // After such an exit the work fails too; the race below already reports the cause.
    working.catch(() => undefined);
    return await Promise.race([working, stack.unexpectedExit.then((reason) => Promise.reject(new Error(explainExit(reason))))]);
  } catch (error) {
    console.error(stack.recentOutput().join('\n'));
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    await stack.stop();
  }
}
