// Plain-words trace of one ENUM look-up (`enum`, `route explain`), kept as steps and rendered only when read.

/**
 * One step of a trace: a fixed line, or a function that appends its line(s) when the trace is read. A cold
 * look-up records steps only (a closure over data it already holds); building the text would cost more than
 * the rest of the ENUM layer, and most results are never explained. Steps refer to the answers as received.
 */
export type TraceStep = string | ((lines: string[]) => void);

/** The text of `steps`, in order. */
export function renderTrace(steps: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    if (typeof step === 'string') lines.push(step);
    else step(lines);
  }
  return lines;
}
