// Reading figures out of the gateway's admin /metrics (Prometheus text exposition format 0.0.4).

/**
 * Sum of every sample of metric `name` (exact name, any labels) whose label text contains `labelPart`, e.g.
 * `sumMetric(text, 'delivery_queue_depth')` or `sumMetric(text, 'enum_lookups_total', 'source="dns"')`.
 */
export function sumMetric(text: string, name: string, labelPart = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const labelsEnd = rest[0] === '{' ? rest.indexOf('}') + 1 : 0;
    if (labelPart !== '' && !rest.slice(0, labelsEnd).includes(labelPart)) continue;
    sum += Number(rest.slice(labelsEnd).trim().split(' ')[0]);
  }
  return sum;
}
