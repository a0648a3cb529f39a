// Established SSP sessions (ssp-profile §3–§4): each side sends under the id it announced itself.
import type { ClientTls } from '../delivery';
import type { GatewayMetrics } from '../metrics';

export interface SspSession {
  peerDomain: string;
  peerLabel: string;
  /** The id we announced; we put it in Session@sessionID of everything we send. */
  ourSessionID: string;
  /** The id the peer announced; every inbound Session must carry exactly this id. */
  theirSessionID: string;
  /** Where answers and requests for this peer go (verified during set-up). */
  url: string;
  hostHeader?: string;
  tls?: ClientTls;
  timeToLiveSeconds: number;
  expiresAtMs: number;
  /** Last time traffic used this session: only busy sessions are kept alive. */
  lastUsedMs?: number;
  keepAliveInFlight?: boolean;
}

/** Sessions by the peer's announced id (inbound check) and by domain (outbound choice: the newest one). */
export class SessionTable {
  private readonly byTheirId = new Map<string, SspSession>();
  private readonly newestByDomain = new Map<string, SspSession>();

  constructor(
    private readonly now: () => number,
    private readonly metrics?: GatewayMetrics,
  ) {}

  add(session: SspSession): void {
    this.byTheirId.set(session.theirSessionID, session);
    this.newestByDomain.set(session.peerDomain, session);
    this.metrics?.sspSessions.inc({ peer: session.peerLabel, state: 'established' });
  }

  /** The live session the peer announced under this id, or undefined (unknown, foreign or expired). */
  byPeerSessionId(theirSessionID: string): SspSession | undefined {
    const session = this.byTheirId.get(theirSessionID);
    if (session && session.expiresAtMs <= this.now()) {
      this.remove(session);
      return undefined;
    }
    return session;
  }

  /** The newest live session with a domain, for sending. */
  forDomain(domain: string): SspSession | undefined {
    const session = this.newestByDomain.get(domain);
    if (session && session.expiresAtMs <= this.now()) {
      this.remove(session);
      return undefined;
    }
    return session;
  }

  refresh(session: SspSession, timeToLiveSeconds: number): void {
    session.timeToLiveSeconds = timeToLiveSeconds;
    session.expiresAtMs = this.now() + timeToLiveSeconds * 1000;
  }

  remove(session: SspSession): void {
    if (this.byTheirId.get(session.theirSessionID) !== session) return;
    this.byTheirId.delete(session.theirSessionID);
    if (this.newestByDomain.get(session.peerDomain) === session) {
      this.newestByDomain.delete(session.peerDomain);
      for (const other of this.byTheirId.values()) {
        if (other.peerDomain === session.peerDomain) this.newestByDomain.set(other.peerDomain, other);
      }
    }
    this.metrics?.sspSessions.dec({ peer: session.peerLabel, state: 'established' });
  }

  /** Drop expired sessions; called by the one housekeeping timer. */
  sweep(): void {
    const now = this.now();
    for (const session of [...this.byTheirId.values()]) if (session.expiresAtMs <= now) this.remove(session);
  }

  all(): SspSession[] {
    return [...this.byTheirId.values()];
  }
}
