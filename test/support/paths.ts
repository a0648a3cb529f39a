// Locations in the repository as seen from compiled tests (dist/test/support/paths.js).
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');

export function fixturePath(...parts: string[]): string {
  return resolve(repoRoot, 'fixtures', ...parts);
}
