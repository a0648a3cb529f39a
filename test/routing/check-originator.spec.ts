import { strict as assert } from 'node:assert';
import { findForeignOriginator, type OriginPolicy } from '../../src/routing/check-originator';
import type { Parties } from '../../src/routing';

const peerB: OriginPolicy = { domain: 'imsp-b.test', userDomains: new Set(['imsp-b.test']), acceptsBareMsisdn: false };
const mnpPeerB: OriginPolicy = { ...peerB, acceptsBareMsisdn: true };
const parties = (originators: string[], requestorServiceID?: string): Parties => ({
  originators,
  targets: [],
  groups: [],
  service: 'im',
  ...(requestorServiceID ? { requestorServiceID } : {}),
});

describe('findForeignOriginator (ssp-profile §3)', () => {
  const cases: Array<[string, Parties, OriginPolicy, RegExp | null]> = [
    ['own user', parties(['wv:bob@imsp-b.test']), peerB, null],
    ['own user, domain in capitals', parties(['wv:bob@IMSP-B.test']), peerB, null],
    ['own service id', parties([], 'wv:@imsp-b.test'), peerB, null],
    ['user of another domain', parties(['wv:mallory@imsp-c.test']), peerB, /mallory@imsp-c\.test/],
    ['service id of another domain', parties([], 'wv:@imsp-c.test'), peerB, /requestor service/],
    ['bare MSISDN from a peer that presents domains', parties(['wv:+4790000001']), peerB, /\+4790000001/],
    ['bare MSISDN from an MNP-aware peer', parties(['wv:+4790000001']), mnpPeerB, null],
    ['not a wv: id', parties(['bob@imsp-b.test']), peerB, /not a wv: user id/],
  ];
  for (const [name, input, policy, refusal] of cases) {
    it(name, () => {
      const result = findForeignOriginator(input, policy);
      if (refusal === null) assert.equal(result, null);
      else assert.match(result ?? '', refusal);
    });
  }
});
