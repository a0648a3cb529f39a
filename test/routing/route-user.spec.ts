import { strict as assert } from 'node:assert';
import { buildRouting, type RoutingComponents } from '../../src/app';
import type { RouteDecision } from '../../src/routing';
import { fixturePath } from '../support/paths';
import { testConfig } from '../support/test-config';

describe('UserRouter decisions (table)', () => {
  let routing: RoutingComponents;
  before(() => {
    routing = buildRouting(
      testConfig([fixturePath('zones', 'routing', 'e164.arpa.zone')], {
        peers: [{ domain: 'imsp-b.test' }, { domain: 'imsp-c.test' }],
        routing: {
          domainAliases: ['im.imsp-a.test'],
          homeNumberPrefixes: ['+4790'],
          numberRoutes: [{ prefix: '+4795', domain: 'imsp-b.test' }, { prefix: '+47951', domain: 'imsp-c.test' }],
          smsOnly: { numberPrefixes: ['+4799'], countries: ['SE'], domains: ['imsp-x.test'] },
        },
      }),
    );
  });

  const cases: Array<[string, string, Partial<RouteDecision> & { kind: RouteDecision['kind'] }]> = [
    ['our domain', 'wv:alice@imsp-a.test', { kind: 'local', rule: 'own_domain' }],
    ['an alias of our domain', 'wv:alice@IM.imsp-a.test', { kind: 'local', rule: 'own_domain' }],
    ['a partner domain', 'wv:bob@imsp-b.test', { kind: 'peer', domain: 'imsp-b.test', rule: 'agreement' }],
    ['a domain without agreement', 'wv:eve@imsp-z.test', { kind: 'reject', status: 506, rule: 'no_agreement' }],
    ['no wv: scheme', 'bob@imsp-b.test', { kind: 'reject', status: 402, rule: 'invalid_user' }],
    ['no domain and no number', 'wv:bob', { kind: 'reject', status: 402, rule: 'invalid_user' }],
    ['a wildcard number', 'wv:+4791*', { kind: 'reject', status: 402, rule: 'invalid_user' }],
    ['a number ENUM places at a partner', 'wv:+4791000001', { kind: 'peer', domain: 'imsp-b.test', rule: 'enum' }],
    ['a ported number', 'wv:+4791000002', { kind: 'peer', domain: 'imsp-c.test', rule: 'enum' }],
    ['our range, not in ENUM', 'wv:+4790123456', { kind: 'local', rule: 'home_range' }],
    ['someone else’s range, not in ENUM', 'wv:+4792123456', { kind: 'reject', status: 516, rule: 'no_route' }],
    ['the longest static number route', 'wv:+4795123456', { kind: 'peer', domain: 'imsp-c.test', rule: 'static_route' }],
    ['a shorter static number route', 'wv:+4795023456', { kind: 'peer', domain: 'imsp-b.test', rule: 'static_route' }],
    ['an SMS-only range', 'wv:+4799000001', { kind: 'sms', rule: 'sms_only' }],
    ['an SMS-only country', 'wv:+46701234567', { kind: 'sms', rule: 'sms_only' }],
    ['an ENUM domain without IM interworking', 'wv:+4793000001', { kind: 'sms', rule: 'sms_only' }],
  ];
  for (const [name, user, expected] of cases) {
    it(name, async () => {
      const decision = await routing.router.route(user, 'im');
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(decision[key as keyof RouteDecision], value, `${key} of ${JSON.stringify(decision)}`);
      assert.ok(decision.trace.length > 0);
    });
  }
});
