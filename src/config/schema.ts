// Configuration schema: the one source of the config's types, defaults and validation rules.
import { z } from 'zod';
import { DEFAULT_UDP_SOCKET_POOL, MAX_QUERIES_PER_SOCKET } from '../dns';
import { smsServiceSchema } from '../sms';

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT (port 0 lets the OS choose)')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'port must be 0–65535');

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'expected an http:// or https:// URL');

const domainName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?!-)[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*$/, 'expected a domain name such as imsp-a.test')
  .transform((value) => value.toLowerCase());

const e164Prefix = z.string().regex(/^\+[0-9]{1,15}$/, 'expected + and 1–15 digits, e.g. +4790');

const tlsFiles = z.strictObject({
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  caFile: z.string().min(1).optional(),
});

/** How our users appear to a peer: `msisdn` keeps `wv:+MSISDN` (MNP-aware peers, seed 004); `domain` adds `@our-domain`. */
const presentUsersAs = z.enum(['msisdn', 'domain']);

/** Transactions an interconnect agreement may allow (ssp-profile §5). */
export const FORWARDABLE_TRANSACTIONS = [
  'SendMessageRequest',
  'DeliveryStatusReport',
  'SubscribeRequest',
  'UnsubscribeRequest',
  'PresenceNotification',
  'GetPresenceRequest',
  'SearchRequest',
] as const;

const rateLimit = z.strictObject({
  transactionsPerSecond: z.number().positive(),
  /** Transactions that may arrive at once before the rate applies. */
  burst: z.number().int().positive(),
});

const transactionsPerPost = z.number().int().min(1).max(256);

const peer = z.strictObject({
  domain: domainName,
  /** Static SSP URL; without it the peer's address comes from DNS SRV. */
  url: httpUrl.optional(),
  /** Pre-shared secret: when set, the peer's SecretToken must equal it and ours is it. */
  secret: z.string().min(8).optional(),
  /** Source addresses allowed to speak for this peer (exact IPs). Empty = any. */
  allowFrom: z.array(z.string().min(1)).default([]),
  /** Client certificate we present when calling this peer over https. */
  tls: tlsFiles.optional(),
  presentUsersAs: presentUsersAs.default('domain'),
  /** The agreement covers termination of this peer's IM as SMS (cost-bearing, so off unless agreed). */
  allowSms: z.boolean().default(false),
  /** What the agreement allows in either direction; anything else is answered 506. */
  transactions: z.array(z.enum(FORWARDABLE_TRANSACTIONS)).default([...FORWARDABLE_TRANSACTIONS]),
  /** This peer's own rate limit (else `limits.perPeer`). */
  rateLimit: rateLimit.optional(),
  /** Transactions per Session POST to this peer (else `ssp.maxTransactionsPerPost`); 1 for a peer that takes one. */
  maxTransactionsPerPost: transactionsPerPost.optional(),
});

const dnsCache = z.strictObject({
  maxEntries: z.number().int().positive().default(1_000_000),
  minTtlSeconds: z.number().int().nonnegative().default(0),
  maxTtlSeconds: z.number().int().positive().default(86_400),
  maxNegativeTtlSeconds: z.number().int().nonnegative().default(900),
  /** RFC 8767: how long an expired answer may still be served while every server fails. */
  staleSeconds: z.number().int().nonnegative().default(86_400),
});

/** Connected UDP sockets per DNS server and their rotation (the trade-off is told at UdpSocketPool). */
const dnsUdpPool = z.strictObject({
  socketsPerServer: z.number().int().min(1).max(64).default(DEFAULT_UDP_SOCKET_POOL.socketsPerServer),
  maxQueriesPerSocket: z.number().int().min(1).max(MAX_QUERIES_PER_SOCKET).default(DEFAULT_UDP_SOCKET_POOL.maxQueriesPerSocket),
  maxSocketAgeMs: z.number().int().min(100).max(3_600_000).default(DEFAULT_UDP_SOCKET_POOL.maxSocketAgeMs),
});

export const configSchema = z.strictObject({
  /** Our IM domain (the part after `@` in our users' ids and our service id `wv:@domain`). */
  domain: domainName,
  ssp: z.strictObject({
    listen: hostPort,
    /** The SSP URL peers reach us at; defaults to http://<listen>/ once the port is known. */
    url: httpUrl.optional(),
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
    sessionTimeToLiveSeconds: z.number().int().min(30).max(7 * 86_400).default(3600),
    /** How long a set-up step or an answer from a peer may take. */
    answerTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Under load, transactions to one peer share a Session POST (ssp-profile §2): at most this many. */
    maxTransactionsPerPost: transactionsPerPost.default(32),
    tls: tlsFiles.extend({ requestClientCert: z.boolean().default(false) }).optional(),
  }),
  admin: z.strictObject({ listen: hostPort }),
  core: z.strictObject({
    url: httpUrl,
    /** The service domain the core announces in set-up; our own domain unless it differs. */
    domain: domainName.optional(),
    secret: z.string().min(8).optional(),
    allowFrom: z.array(z.string().min(1)).default([]),
    maxTransactionsPerPost: transactionsPerPost.optional(),
  }),
  peers: z.array(peer).default([]),
  dns: z
    .strictObject({
      /** Recursive or authoritative servers as HOST:PORT. Empty = answer from `zoneFiles` only. */
      servers: z.array(hostPort).default([]),
      /** Master-format zone files answered in process (embedded mode). */
      zoneFiles: z.array(z.string().min(1)).default([]),
      timeoutMs: z.number().int().min(50).max(30_000).default(1500),
      attempts: z.number().int().min(1).max(5).default(2),
      cache: dnsCache.prefault({}),
      udpPool: dnsUdpPool.prefault({}),
    })
    .refine((dns) => dns.servers.length > 0 || dns.zoneFiles.length > 0, {
      message: 'give at least one of dns.servers or dns.zoneFiles',
    }),
  enum: z
    .strictObject({
      /** ENUM trees searched in order (RFC 6116 §3.1): public first, then carrier/private trees. */
      suffixes: z.array(domainName).min(1).default(['e164.arpa']),
      maxNonTerminalHops: z.number().int().min(0).max(10).default(5),
      /** Resolved numbers kept per enumservice (about 200 bytes each). */
      cacheMaxEntries: z.number().int().positive().default(1_000_000),
    })
    .prefault({}),
  routing: z
    .strictObject({
      /** Other names of our own domain (e.g. the domain our ENUM records point at). */
      domainAliases: z.array(domainName).default([]),
      /** Numbers served by our core (E.164 prefixes such as +4790); others are looked up in ENUM. */
      homeNumberPrefixes: z.array(e164Prefix).default([]),
      /** Static number routes, longest prefix wins, consulted before ENUM: prefix → serving domain. */
      numberRoutes: z.array(z.strictObject({ prefix: e164Prefix, domain: domainName })).default([]),
      /** Only domains listed in `peers` are reached or accepted (506 otherwise); false = open federation. */
      requireAgreement: z.boolean().default(true),
      /** Customers reachable only by SMS (seed 000): their operator has no IM interworking, or they never became IM users. */
      smsOnly: z
        .strictObject({
          /** Number ranges of operators without IM (e.g. +4799). */
          numberPrefixes: z.array(e164Prefix).default([]),
          /** ISO 3166 country codes whose operators offer no IM interworking. */
          countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code such as NO')).default([]),
          /** Domains ENUM may name whose operators have no IM interworking with us. */
          domains: z.array(domainName).default([]),
          /**
           * Routing numbers (RFC 4694 `rn`, from ENUM `pstn:tel` records) of operators without IM: a number ported
           * to one of them is reached by SMS. Empty = no `pstn:tel` look-up at all.
           */
          routingNumberPrefixes: z.array(e164Prefix).default([]),
          /** StatusText shown for SMS-only users (IM-0120/0130). */
          statusText: z.string().min(1).max(64).default('SMS-only'),
        })
        .prefault({}),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /** Store-and-forward lifetime of a message without its own validity. */
      defaultValiditySeconds: z.number().int().positive().default(86_400),
      retry: z
        .strictObject({
          initialMs: z.number().int().positive().default(1000),
          maxMs: z.number().int().positive().default(300_000),
          jitter: z.number().min(0).max(1).default(0.2),
        })
        .prefault({}),
      circuit: z
        .strictObject({
          failureThreshold: z.number().int().positive().default(5),
          openMs: z.number().int().positive().default(30_000),
        })
        .prefault({}),
      /** Waiting transactions per next hop; beyond it new ones are answered 503. */
      maxQueuePerTarget: z.number().int().positive().default(100_000),
      /** How long answered transactions are kept to recognise retransmissions. */
      dedupRetentionSeconds: z.number().int().positive().default(86_400),
    })
    .prefault({}),
  limits: z
    .strictObject({
      global: rateLimit.default({ transactionsPerSecond: 50_000, burst: 50_000 }),
      perPeer: rateLimit.default({ transactionsPerSecond: 20_000, burst: 20_000 }),
    })
    .prefault({}),
  store: z.strictObject({ path: z.string().min(1) }),
  /** IM ↔ SMS for SMS-only customers (issue 5); without it, IM to them is answered 501. */
  sms: smsServiceSchema.optional(),
  log: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
});

export type GatewayConfig = z.output<typeof configSchema>;
export type PeerConfig = GatewayConfig['peers'][number];
