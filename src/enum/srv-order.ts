// SRV target ordering (RFC 2782 "Usage rules"): priority ascending, weighted random order within a priority.
import type { SrvData } from '../dns';

/**
 * The order in which to try `records`. Within one priority, RFC 2782's selection is repeated until the priority
 * is used up: running sums of the weights, a uniform random number, and the first record whose running sum
 * reaches it is taken. The number is drawn from [1, sum], not the RFC's [0, sum]: with 0 included the first
 * record listed gets an extra 1/(sum + 1) (two records of weight 1 would be taken first 2/3 of the time, not
 * 1/2). Zero-weight records are therefore tried after the weighted ones, in the order listed.
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
    const pick = sum === 0 ? 0 : 1 + Math.min(Math.floor(random() * sum), sum - 1);
    let running = 0;
    const index = remaining.findIndex((record) => (running += record.weight) >= pick);
    ordered.push(...remaining.splice(index, 1));
  }
  return ordered;
}
