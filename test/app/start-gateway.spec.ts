// startGateway: a start that fails part-way closes what it had opened.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../src/app';
import { createLogger } from '../../src/log';
import { SqliteTransactionStore } from '../../src/store';
import { fixturePath } from '../support/paths';
import { testConfig } from '../support/test-config';

describe('startGateway', () => {
  let occupied: Server;
  before(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it("closes the store when the SMS side cannot start (Kannel's callback port is taken)", async () => {
    const port = (occupied.address() as AddressInfo).port;
    const config = testConfig([fixturePath('zones', 'demo', 'imsp-a.test.zone')], {
      sms: {
        sender: { mode: 'pool', pool: ['+4790001000'] },
        transport: { kind: 'kannel', sendsmsUrl: 'http://127.0.0.1:1/cgi-bin/sendsms', username: 'gw', password: 'secret', callbackUrl: `http://127.0.0.1:${port}/` },
        kannelCallbackListen: `127.0.0.1:${port}`,
      },
    });
    const store = new SqliteTransactionStore(':memory:');
    let closed = false;
    const close = store.close.bind(store);
    store.close = async () => {
      closed = true;
      await close();
    };
    await assert.rejects(startGateway(config, { store, logger: createLogger('silent') }), /EADDRINUSE|in use/i);
    assert.ok(closed, 'the store was closed');
  });
});
