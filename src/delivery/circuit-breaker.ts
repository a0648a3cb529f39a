// Per-target circuit breakers: after repeated failures stop hammering a dead peer, probe it once in a while.

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses before letting one probe through. */
  openMs: number;
  now: () => number;
  onStateChange?: (key: string, state: CircuitState) => void;
}

interface Circuit {
  failures: number;
  state: CircuitState;
  openedAtMs: number;
}

export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** May a request to `key` go out now? An open circuit lets exactly one probe through after `openMs`. */
  allows(key: string): boolean {
    const circuit = this.circuits.get(key);
    if (!circuit || circuit.state === 'closed') return true;
    if (circuit.state === 'half_open') return false;
    if (this.options.now() - circuit.openedAtMs < this.options.openMs) return false;
    this.setState(key, circuit, 'half_open');
    return true;
  }

  succeeded(key: string): void {
    const circuit = this.circuits.get(key);
    if (!circuit) return;
    circuit.failures = 0;
    if (circuit.state !== 'closed') this.setState(key, circuit, 'closed');
  }

  failed(key: string): void {
    const circuit = this.circuits.get(key) ?? { failures: 0, state: 'closed' as CircuitState, openedAtMs: 0 };
    this.circuits.set(key, circuit);
    circuit.failures += 1;
    if (circuit.state === 'half_open' || circuit.failures >= this.options.failureThreshold) {
      circuit.openedAtMs = this.options.now();
      if (circuit.state !== 'open') this.setState(key, circuit, 'open');
    }
  }

  stateOf(key: string): CircuitState {
    return this.circuits.get(key)?.state ?? 'closed';
  }

  private setState(key: string, circuit: Circuit, state: CircuitState): void {
    circuit.state = state;
    this.options.onStateChange?.(key, state);
  }
}
