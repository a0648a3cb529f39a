// Forgetting old rows a bounded step at a time, so that a day's backlog never holds the event loop for long.

/**
 * Done records or SMS rows forgotten per store call, with the event loop free between calls: one DELETE of a
 * second's worth of transactions at full load held it for 19–130 ms (4,400 rows, store of 200,000 records);
 * steps of 500 take 1.5–4 ms (median).
 */
export const PURGE_STEP = 500;

/**
 * Call `forget(PURGE_STEP)` until it forgets fewer than a step (nothing older is left), `maxSteps` calls were
 * made (the rest waits for the next purge), or `stopped()` says so; other work runs between calls.
 */
export async function purgeInSteps(forget: (limit: number) => Promise<number>, maxSteps: number, stopped: () => boolean = () => false): Promise<void> {
  for (let step = 0; step < maxSteps && !stopped(); step += 1) {
    if ((await forget(PURGE_STEP)) < PURGE_STEP) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
