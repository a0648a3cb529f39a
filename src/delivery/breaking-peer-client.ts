// A PeerClient decorator with a circuit breaker per peer origin: a dead target fails fast, so failover is quick.
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics';
import { CircuitBreakers, type CircuitState } from './circuit-breaker';
import type { PeerClient, PostOptions, PostResult } from './peer-client';

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

export class BreakingPeerClient implements PeerClient {
  private readonly breakers: CircuitBreakers;

  constructor(
    private readonly inner: PeerClient,
    options: { failureThreshold: number; openMs: number; now: () => number; metrics?: GatewayMetrics },
  ) {
    this.breakers = new CircuitBreakers({
      failureThreshold: options.failureThreshold,
      openMs: options.openMs,
      now: options.now,
      onStateChange: (target, state) => options.metrics?.circuitState.set({ target }, STATE_VALUE[state]),
    });
  }

  async post(url: string, xml: string, options?: PostOptions): Promise<PostResult> {
    const target = new URL(url).host;
    if (!this.breakers.allows(target)) {
      throw new GatewayError('PEER_UNREACHABLE', `circuit to ${target} is open after repeated failures`, { impsStatus: 503, transient: true });
    }
    try {
      const result = await this.inner.post(url, xml, options);
      this.breakers.succeeded(target);
      return result;
    } catch (error) {
      // A target that answered, even with a refusal, is alive: only transient failures count against it.
      if (error instanceof GatewayError && error.transient) this.breakers.failed(target);
      else this.breakers.succeeded(target);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
