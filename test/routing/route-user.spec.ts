import { strict as assert } from 'node:assert';
import { buildRouting, type RoutingComponents } from '../../src/app';
import type { EnumResolver, EnumService, EnumStatus } from '../../src/enum';
import { UserRouter, type RouteDecision } from '../../src/routing';
import { domainOfUri } from '../../src/routing/route-user';
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
          smsOnly: { numberPrefixes: ['+4799'], countries: ['SE'], domains: ['imsp-x.test'], routingNumberPrefixes: ['+4799'] },
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
    ['a ported number (its IM record wins over its SMS-only routing number)', 'wv:+4791000002', { kind: 'peer', domain: 'imsp-c.test', rule: 'enum' }],
    ['our range, not in ENUM', 'wv:+4790123456', { kind: 'local', rule: 'home_range' }],
    ['someone else’s range, not in ENUM', 'wv:+4792123456', { kind: 'reject', status: 516, rule: 'no_route' }],
    ['the longest static number route', 'wv:+4795123456', { kind: 'peer', domain: 'imsp-c.test', rule: 'static_route' }],
    ['a shorter static number route', 'wv:+4795023456', { kind: 'peer', domain: 'imsp-b.test', rule: 'static_route' }],
    ['an SMS-only range', 'wv:+4799000001', { kind: 'sms', rule: 'sms_only' }],
    ['an SMS-only country', 'wv:+46701234567', { kind: 'sms', rule: 'sms_only' }],
    ['an ENUM domain without IM interworking', 'wv:+4793000001', { kind: 'sms', rule: 'sms_only' }],
    ['our range, ported out to an SMS-only operator (ENUM rn)', 'wv:+4790000007', { kind: 'sms', msisdn: '+4790000007', rule: 'sms_only' }],
    ['ported to a routing number not of an SMS-only operator, no IM record', 'wv:+4792000001', { kind: 'reject', status: 516, rule: 'no_route' }],
    ['our range, pstn:tel without a routing number (not ported)', 'wv:+4790000008', { kind: 'local', rule: 'home_range' }],
    ['our range, pstn:tel with an rn not usable as +digits', 'wv:+4790000009', { kind: 'local', rule: 'home_range' }],
  ];
  for (const [name, user, expected] of cases) {
    it(name, async () => {
      const decision = await routing.router.route(user, 'im');
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(decision[key as keyof RouteDecision], value, `${key} of ${JSON.stringify(decision)}`);
      assert.ok(decision.trace.length > 0);
    });
  }

  it('explains a number ported out to an SMS-only operator with the pstn:tel step and its routing number', async () => {
    const explained = await routing.explain('wv:+4790000007', 'pres');
    assert.equal(explained.decision, 'sms');
    assert.match(explained.reason, /\+4790000007 is ported, routing number \+4799000000 \(in \+4799\), an operator without IM interworking/);
    assert.ok(explained.trace.some((step) => /^ENUM pstn:tel: /.test(step)), explained.trace.join('\n'));
    assert.match(explained.trace.at(-1) ?? '', /reach by SMS$/);
  });

  it('explains why a number of our range stays ours when pstn:tel has no routing number', async () => {
    const explained = await routing.explain('wv:+4790000008', 'im');
    assert.equal(explained.decision, 'local');
    assert.ok(explained.trace.some((step) => /ENUM pstn:tel for \+4790000008 gives no usable routing number/.test(step)), explained.trace.join('\n'));
  });
});

describe('UserRouter and ENUM number-portability data (pstn:tel)', () => {
  /** Per enumservice, the status the resolver answers (NXDOMAIN when absent) and the rn of a pstn:tel result. */
  type Answers = Partial<Record<EnumService, { status: EnumStatus; rn?: string }>>;

  /** An EnumResolver giving fixed answers, recording which enumservices were asked for. */
  function fakeResolver(answers: Answers): EnumResolver & { asked: EnumService[] } {
    const asked: EnumService[] = [];
    return {
      asked,
      resolve: async (number, service) => {
        asked.push(service);
        const { status, rn } = answers[service] ?? { status: 'NXDOMAIN' };
        const np = rn === undefined ? null : { npdi: true, rn };
        const uris = status === 'OK' ? [`tel:${number}${rn === undefined ? '' : `;npdi;rn=${rn}`}`] : [];
        return { number, aus: number, service, status, uris, suffix: null, ttlSeconds: 0, np, records: [], cached: false, trace: [`result ${status}`] };
      },
    };
  }
  const router = (enumResolver: EnumResolver, routingNumberPrefixes: string[]) =>
    new UserRouter({
      domain: 'imsp-a.test',
      domainAliases: [],
      homeNumberPrefixes: ['+4790'],
      numberRoutes: [],
      enumResolver,
      smsOnly: { numberPrefixes: [], countries: [], domains: [], routingNumberPrefixes },
    });

  // [name, answers, routingNumberPrefixes, user, expected decision, enumservices asked]
  const cases: Array<[string, Answers, string[], string, Partial<RouteDecision>, EnumService[]]> = [
    ['no routing-number prefixes configured: no pstn:tel look-up', { 'pstn:tel': { status: 'OK', rn: '+4799000000' } }, [], 'wv:+4790000007', { kind: 'local', rule: 'home_range' }, ['im']],
    ['im SERVFAIL: no pstn:tel look-up, still 503', { im: { status: 'SERVFAIL' }, 'pstn:tel': { status: 'OK', rn: '+4799000000' } }, ['+4799'], 'wv:+4792000007', { kind: 'reject', status: 503, rule: 'enum_unavailable' }, ['im']],
    ['im TIMEOUT in our range: no pstn:tel look-up', { im: { status: 'TIMEOUT' }, 'pstn:tel': { status: 'OK', rn: '+4799000000' } }, ['+4799'], 'wv:+4790000007', { kind: 'local', rule: 'home_range' }, ['im']],
    ['im NO_USABLE, rn of an SMS-only operator', { im: { status: 'NO_USABLE' }, 'pstn:tel': { status: 'OK', rn: '+4799000000' } }, ['+4799'], 'wv:+4790000007', { kind: 'sms', rule: 'sms_only' }, ['im', 'pstn:tel']],
    ['im NODATA, rn of an SMS-only operator, outside our range', { im: { status: 'NODATA' }, 'pstn:tel': { status: 'OK', rn: '+4799000000' } }, ['+4799'], 'wv:+4792000007', { kind: 'sms', rule: 'sms_only' }, ['im', 'pstn:tel']],
    ['pstn:tel SERVFAIL in our range: the home range decides', { 'pstn:tel': { status: 'SERVFAIL' } }, ['+4799'], 'wv:+4790000007', { kind: 'local', rule: 'home_range' }, ['im', 'pstn:tel']],
    ['pstn:tel TIMEOUT outside our range: no route, as before', { 'pstn:tel': { status: 'TIMEOUT' } }, ['+4799'], 'wv:+4792000007', { kind: 'reject', status: 516, rule: 'no_route' }, ['im', 'pstn:tel']],
  ];
  for (const [name, answers, prefixes, user, expected, asked] of cases) {
    it(name, async () => {
      const resolver = fakeResolver(answers);
      const decision = await router(resolver, prefixes).route(user, 'im', { explain: true });
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(decision[key as keyof RouteDecision], value, `${key} of ${JSON.stringify(decision)}`);
      assert.deepEqual(resolver.asked, asked);
    });
  }
});

describe('domainOfUri', () => {
  const cases: Array<[string, string | null]> = [
    ['im:+4790000001@imsp-b.test', 'imsp-b.test'],
    ['im:+4790000001@IMSP-B.test.', 'imsp-b.test'],
    ['pres:alice@ours.test?subject=bob@peer.test', 'ours.test'],
    ['im:alice@ours.test;x=1', 'ours.test'],
    ['im:alice', null],
    ['im:alice@bad_host', null],
  ];
  for (const [uri, domain] of cases) it(`${uri} → ${domain}`, () => assert.equal(domainOfUri(uri), domain));
});
