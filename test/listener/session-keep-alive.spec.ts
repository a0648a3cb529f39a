// Busy sessions are refreshed before they lapse; idle ones are left to expire (ssp-profile §4).
import { strict as assert } from 'node:assert';
import { needsKeepAlive } from '../../src/listener/session-keep-alive';
import type { SspSession } from '../../src/listener/session-table';

const TTL_MS = 400_000;

function session(expiresAtMs: number, lastUsedMs?: number, keepAliveInFlight = false): SspSession {
  return {
    peerDomain: 'imsp-b.test',
    peerLabel: 'imsp-b.test',
    ourSessionID: 'ours@imsp-a.test',
    theirSessionID: 'theirs@imsp-b.test',
    url: 'http://192.0.2.10:7302/',
    timeToLiveSeconds: TTL_MS / 1000,
    expiresAtMs,
    ...(lastUsedMs === undefined ? {} : { lastUsedMs }),
    keepAliveInFlight,
  };
}

describe('needsKeepAlive', () => {
  const now = 1_000_000;

  it('refreshes a session used recently once it is in the last quarter of its life', () => {
    assert.equal(needsKeepAlive(session(now + TTL_MS / 4, now - 1000), now), true);
    assert.equal(needsKeepAlive(session(now + TTL_MS / 4 + 1, now - 1000), now), false, 'more than a quarter left');
  });

  it('lets a session idle for over half its lifetime, or never used, expire', () => {
    assert.equal(needsKeepAlive(session(now + 1000, now - TTL_MS / 2), now), true, 'used exactly half a lifetime ago');
    assert.equal(needsKeepAlive(session(now + 1000, now - TTL_MS / 2 - 1), now), false);
    assert.equal(needsKeepAlive(session(now + 1000), now), false);
  });

  it('sends one keep-alive at a time', () => {
    assert.equal(needsKeepAlive(session(now + 1000, now - 1000, true), now), false);
  });
});
