// A validated gateway config for tests of one gateway: loopback, ports from the OS, small caches, in-memory store.
import { parseConfig, type GatewayConfig } from '../../src/config';

/** `zoneFiles` answer DNS; `overrides` replace whole top-level sections. */
export function testConfig(zoneFiles: string[], overrides: Record<string, unknown> = {}): GatewayConfig {
  return parseConfig({
    domain: 'imsp-a.test',
    ssp: { listen: '127.0.0.1:0' },
    admin: { listen: '127.0.0.1:0' },
    core: { url: 'http://127.0.0.1:1/' },
    dns: { zoneFiles, cache: { maxEntries: 100 } },
    enum: { cacheMaxEntries: 100 },
    store: { path: ':memory:' },
    ...overrides,
  });
}
