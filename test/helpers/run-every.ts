/**
 * Runs every cleanup step in order, whatever fails, then throws the first failure: a browser that
 * will not close must not leave the servers, profiles and data directories after it behind.
 */
export async function runEvery(steps: ReadonlyArray<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
