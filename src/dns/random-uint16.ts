// Unpredictable 16-bit values for DNS query ids and socket choice (RFC 5452 §9.2: from a cryptographic generator).
import { randomFillSync } from 'node:crypto';

/** Values drawn from the CSPRNG at once: one system call for many queries. */
const BATCH = 1024;
const batch = new Uint16Array(BATCH);
let next = BATCH;

/** A uniformly random integer in [0, 65535] from node:crypto, taken from a refilled batch. */
export function randomUint16(): number {
  if (next === BATCH) {
    randomFillSync(batch);
    next = 0;
  }
  return batch[next++] as number;
}
