// SRV target ordering (RFC 2782 "Usage rules"): priority ascending, weighted random order within a priority.
import type { SrvData } from '../dns';

/**
 * The order in which to try `records`. Within one priority, RFC 2782's selection is repeated until the priority
 * is used up: zero-weight records first, running sums of the weights, a uniform random number in [0, sum]
 * inclusive, and the first record whose running sum reaches it is taken. So a zero-weight record is picked only
 * when the number is 0 (a small chance beside weighted ones, certain among zero-weight ones).
 * @param random uniform in [0, 1), like Math.random (inject a fixed sequence in tests)
 */
export function orderSrvRecords(records: readonly SrvData[], random: () => number): SrvData[] {
  const priorities = [...new Set(records.map((record) => record.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) =>
    orderByWeight(records.filter((record) => record.priority === priority), random),
  );
}

function orderByWeight(group: SrvData[], random: () => number): SrvData[] {
  const remaining = [...group.filter((record) => record.weight === 0), ...group.filter((record) => record.weight > 0)];
  const ordered: SrvData[] = [];
  while (remaining.length > 0) {
    const sum = remaining.reduce((total, record) => total + record.weight, 0);
    const pick = Math.min(Math.floor(random() * (sum + 1)), sum);
    let running = 0;
    const index = remaining.findIndex((record) => (running += record.weight) >= pick);
    ordered.push(...remaining.splice(index, 1));
  }
  return ordered;
}
