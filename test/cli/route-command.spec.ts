import { strict as assert } from 'node:assert';
import { main } from '../../src/cli/main';
import type { RouteExplanation } from '../../src/routing';
import { fixturePath } from '../support/paths';

/** Run `ssp-gateway route` against the routing zone with SMS-only routing numbers (+4799…) configured. */
async function route(...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(['route', ...args, '--config', fixturePath('config', 'routing-number-sms-only.yaml')], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  return { code, out: out.join('\n') };
}

describe('ssp-gateway route: number-portability data (ENUM pstn:tel rn)', () => {
  it('explains a number of our range ported out to an SMS-only operator, step by step', async () => {
    const { code, out } = await route('wv:+4790000007');
    assert.equal(code, 0, out);
    assert.match(out, /^decision {2}sms$/m);
    assert.match(out, /^ {2}\d+\. ENUM pstn:tel: result OK from suffix e164\.arpa: tel:\+4790000007;npdi;rn=\+4799000000/m);
    assert.match(out, /^ {2}\d+\. ENUM number-portability data: \+4790000007 is ported, routing number \+4799000000 \(in \+4799\), an operator without IM interworking: reach by SMS$/m);
  });

  it('keeps the existing rules, in JSON, when the routing number is not of an SMS-only operator', async () => {
    const { code, out } = await route('wv:+4792000001', '--service', 'pres', '--json');
    assert.equal(code, 0, out);
    const explained = JSON.parse(out) as RouteExplanation;
    assert.deepEqual([explained.decision, explained.status], ['reject', 516]);
    assert.ok(explained.trace.some((step) => /routing number \+4791000000, not of an operator without IM interworking/.test(step)), out);
  });
});
