/** What a command needs of a stack to run against it safely. */
export interface SupervisedStack {
  /** Resolves, naming the process, if one of the stack's processes exits unasked. */
  unexpectedExit: Promise<string>;
  recentOutput(): readonly string[];
  stop(): Promise<void>;
}

/**
 * Runs `work` against a stack and always stops the stack, on success and on failure (after
 * printing the apps' last lines; the stack itself handles Ctrl-C). A stack process that dies
 * unasked fails the run at once, instead of surfacing later as puzzling 500s or timeouts.
 */
export async function runAgainstStack<T>(stack: SupervisedStack, work: () => Promise<T>, explainExit: (reason: string) => string): Promise<T> {
  try {
    const working = work();
    // After such an exit the work fails too; the race below already reports the cause.
    working.catch(() => undefined);
    return await Promise.race([working, stack.unexpectedExit.then((reason) => Promise.reject(new Error(explainExit(reason))))]);
  } catch (error) {
    const lines = stack.recentOutput();
    if (lines.length > 0) console.error(lines.join('\n'));
    throw error;
  } finally {
    await stack.stop();
  }
}
