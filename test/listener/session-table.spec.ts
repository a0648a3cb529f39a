import { strict as assert } from 'node:assert';
import { SessionTable, type SspSession } from '../../src/listener/session-table';

const session = (theirSessionID: string, domain: string, expiresAtMs: number): SspSession => ({
  peerDomain: domain,
  peerLabel: domain,
  ourSessionID: `ours-${theirSessionID}`,
  theirSessionID,
  url: 'http://127.0.0.1:1/',
  timeToLiveSeconds: 60,
  expiresAtMs,
});

describe('SessionTable', () => {
  it('finds a session only under the id the peer announced, and only while it lives', () => {
    let now = 0;
    const table = new SessionTable(() => now);
    table.add(session('p1@imsp-b.test', 'imsp-b.test', 1000));
    assert.ok(table.byPeerSessionId('p1@imsp-b.test'));
    assert.equal(table.byPeerSessionId('ours-p1@imsp-b.test'), undefined, 'not under our own id');
    now = 1000;
    assert.equal(table.byPeerSessionId('p1@imsp-b.test'), undefined);
    assert.equal(table.forDomain('imsp-b.test'), undefined);
  });

  it('sends over the newest session and falls back to another live one when it ends', () => {
    const table = new SessionTable(() => 0);
    const older = session('p1@imsp-b.test', 'imsp-b.test', 1000);
    const newer = session('p2@imsp-b.test', 'imsp-b.test', 1000);
    table.add(older);
    table.add(newer);
    assert.equal(table.forDomain('imsp-b.test'), newer);
    table.remove(newer);
    assert.equal(table.forDomain('imsp-b.test'), older);
  });

  it('refreshes the expiry on keep-alive', () => {
    let now = 0;
    const table = new SessionTable(() => now);
    const live = session('p1@imsp-b.test', 'imsp-b.test', 1000);
    table.add(live);
    now = 900;
    table.refresh(live, 60);
    now = 1500;
    assert.ok(table.byPeerSessionId('p1@imsp-b.test'));
  });
});
