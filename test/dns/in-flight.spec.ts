// InFlight: callers that join an operation in flight get its outcome; a landed or crashed flight is gone.
import { strict as assert } from 'node:assert';
import { InFlight } from '../../src/dns';

describe('InFlight', () => {
  it('gives joiners the value the flight lands with, then forgets the key', async () => {
    const inflight = new InFlight<string, number>();
    const flight = inflight.start('a');
    assert.equal(inflight.get('a'), flight);
    const joined = [flight.join(), inflight.get('a')?.join()];
    flight.land(42);
    assert.deepEqual(await Promise.all(joined), [42, 42]);
    assert.equal(inflight.get('a'), undefined);
  });

  it('gives joiners the error the flight crashes with, then forgets the key', async () => {
    const inflight = new InFlight<string, number>();
    const flight = inflight.start('a');
    const joined = flight.join();
    flight.crash(new Error('boom'));
    await assert.rejects(joined, /boom/);
    assert.equal(inflight.get('a'), undefined);
  });

  it('keeps flights of different keys apart', () => {
    const inflight = new InFlight<string, number>();
    const a = inflight.start('a');
    inflight.start('b').land(1);
    assert.deepEqual([inflight.get('a'), inflight.get('b')], [a, undefined]);
  });
});
