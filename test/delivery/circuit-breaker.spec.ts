import { strict as assert } from 'node:assert';
import { CircuitBreakers, type CircuitState } from '../../src/delivery';

describe('CircuitBreakers', () => {
  let now = 0;
  const changes: Array<[string, CircuitState]> = [];
  const breakers = () => new CircuitBreakers({ failureThreshold: 3, openMs: 1000, now: () => now, onStateChange: (key, state) => changes.push([key, state]) });
  beforeEach(() => {
    now = 0;
    changes.length = 0;
  });

  it('opens after the threshold of consecutive failures and refuses until the open time has passed', () => {
    const b = breakers();
    b.failed('gw:1');
    b.failed('gw:1');
    assert.ok(b.allows('gw:1'));
    b.failed('gw:1');
    assert.equal(b.stateOf('gw:1'), 'open');
    assert.equal(b.allows('gw:1'), false);
    now = 999;
    assert.equal(b.allows('gw:1'), false);
  });

  it('lets exactly one probe through when half-open, closing on success', () => {
    const b = breakers();
    for (let i = 0; i < 3; i += 1) b.failed('gw:1');
    now = 1000;
    assert.ok(b.allows('gw:1'));
    assert.equal(b.allows('gw:1'), false, 'only one probe');
    b.succeeded('gw:1');
    assert.equal(b.stateOf('gw:1'), 'closed');
    assert.deepEqual(changes, [['gw:1', 'open'], ['gw:1', 'half_open'], ['gw:1', 'closed']]);
  });

  it('re-opens when the probe fails, and keeps targets apart', () => {
    const b = breakers();
    for (let i = 0; i < 3; i += 1) b.failed('gw:1');
    now = 1000;
    b.allows('gw:1');
    b.failed('gw:1');
    assert.equal(b.stateOf('gw:1'), 'open');
    assert.ok(b.allows('gw:2'));
  });

  it('forgets earlier failures after a success', () => {
    const b = breakers();
    b.failed('gw:1');
    b.failed('gw:1');
    b.succeeded('gw:1');
    b.failed('gw:1');
    assert.equal(b.stateOf('gw:1'), 'closed');
  });
});
