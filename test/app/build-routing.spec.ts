import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRouting } from '../../src/app';
import { fixturePath } from '../support/paths';
import { testConfig } from '../support/test-config';

describe('buildRouting', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sspgw-routing-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('follows a number moved in the zone data after reloadZones, without a restart', async () => {
    const zone = join(dir, 'e164.arpa.zone');
    const original = readFileSync(fixturePath('zones', 'routing', 'e164.arpa.zone'), 'utf8');
    writeFileSync(zone, original);
    const routing = buildRouting(
      testConfig([zone, fixturePath('zones', 'demo', 'imsp-b.test.zone'), fixturePath('zones', 'demo', 'imsp-c.test.zone')], { peers: [{ domain: 'imsp-b.test' }, { domain: 'imsp-c.test' }] }),
    );
    assert.equal((await routing.explain('wv:+4791000001', 'im')).peer, 'imsp-b.test');
    writeFileSync(zone, original.replace('im:+4791000001@imsp-b.test', 'im:+4791000001@imsp-c.test'));
    assert.equal((await routing.explain('wv:+4791000001', 'im')).peer, 'imsp-b.test', 'cached until reloaded');
    await routing.reloadZones();
    assert.equal((await routing.explain('wv:+4791000001', 'im')).peer, 'imsp-c.test');
  });
});
