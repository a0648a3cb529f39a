// The one result shape of every benchmark in bench/: figures measured in one run, against a named baseline.

export interface BenchResult {
  name: string;
  /** Measured figures, units in the key (e.g. `resolutionsPerSecond`, `rssMb`). */
  figures: Record<string, number | string>;
  /** What the figures are compared with in the same run. */
  baseline?: string;
  /** The goal, in words (e.g. `≥ 1,000,000 resolutions/s`). */
  target?: string;
  /** Whether the target was met. */
  pass?: boolean;
}
