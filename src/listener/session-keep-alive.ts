// When to refresh a session with a KeepAliveRequest (ssp-profile §4: sessions expire after timeToLive).
import type { SspSession } from './session-table';

/**
 * A session in use is refreshed in the last quarter of its life, so traffic never waits for a new set-up; one
 * idle for over half its lifetime is left to expire (it is set up again on demand). One keep-alive at a time.
 */
export function needsKeepAlive(session: SspSession, nowMs: number): boolean {
  if (session.keepAliveInFlight || session.lastUsedMs === undefined) return false;
  const quarterMs = (session.timeToLiveSeconds * 1000) / 4;
  return session.expiresAtMs - nowMs <= quarterMs && nowMs - session.lastUsedMs <= quarterMs * 2;
}
