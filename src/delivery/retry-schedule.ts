// When to try a transiently failed delivery again: exponential backoff with jitter, capped.

export interface RetrySchedule {
  initialMs: number;
  maxMs: number;
  /** Spread of the jitter, 0–1: 0.2 draws each delay from ±20 % of its nominal value. */
  jitter: number;
}

/** Delay before attempt number `attempts + 1`, given `attempts` failures so far (≥ 1). */
export function retryDelayMs(schedule: RetrySchedule, attempts: number, random: () => number = Math.random): number {
  const nominal = Math.min(schedule.maxMs, schedule.initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(nominal * (1 + schedule.jitter * (2 * random() - 1))));
}
