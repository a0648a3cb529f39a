// SMS configuration schema (zod): text policy and SMPP / Kannel transport settings, one source of types and defaults.
import { z } from 'zod';

const idFormat = z.enum(['text', 'hex', 'decimal']);

/** IM → SMS text rules (seed 000 IM-0030 and footnotes 4–5, seed 001 GEN-5..7). */
export const smsTextPolicySchema = z.strictObject({
  /** IM-0030 limits IM to legacy customers to one SMS, hence `reject` unless the operator decides otherwise. */
  oversize: z.enum(['reject', 'truncate', 'concatenate']).default('reject'),
  maxParts: z.number().int().min(1).max(255).default(4),
  /** `{sender}` is replaced by the IM sender's display name, e.g. "IM from {sender}: ". */
  prefix: z.string().max(140).default(''),
  suffix: z.string().max(140).default(''),
});

/** SMPP 3.4 ESME settings (config `sms.transport` with `kind: smpp`). */
export const smppTransportSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  /** SMPP 3.4 §4.1.1: system_id ≤ 15 octets, password ≤ 8, system_type ≤ 12 (plus the NUL). */
  systemId: z.string().min(1).max(15),
  password: z.string().max(8),
  systemType: z.string().max(12).default(''),
  serviceType: z.string().max(5).default(''),
  enquireLinkIntervalMs: z.number().int().min(10).max(3_600_000).default(30_000),
  responseTimeoutMs: z.number().int().min(10).max(300_000).default(10_000),
  reconnect: z
    .strictObject({
      initialDelayMs: z.number().int().min(1).max(600_000).default(1_000),
      maxDelayMs: z.number().int().min(1).max(3_600_000).default(60_000),
    })
    .prefault({}),
  windowSize: z.number().int().min(1).max(1_000).default(10),
  maxPendingMessages: z.number().int().min(1).max(1_000_000).default(10_000),
  throttlePauseMs: z.number().int().min(1).max(600_000).default(1_000),
  maxThrottleRetries: z.number().int().min(0).max(1_000).default(30),
  /** How this SMSC writes message ids in submit_sm_resp and in receipt texts (see normaliseSmscMessageId). */
  messageIds: z.strictObject({ submitResponse: idFormat.default('text'), receiptText: idFormat.default('text') }).prefault({}),
  /**
   * Submissions remembered in memory to put our reference on receipts (the store correlates beyond this). Not
   * optional: a receipt can overtake the store write of its own submission, and only this memory matches it then.
   */
  receiptMemory: z
    .strictObject({
      maxEntries: z.number().int().min(1).max(10_000_000).default(100_000),
      ttlSeconds: z.number().int().min(1).max(30 * 86_400).default(2 * 86_400),
    })
    .prefault({}),
});

/** Kannel smsbox settings (config `sms.transport` with `kind: kannel`). */
export const kannelTransportSchema = z.strictObject({
  /** smsbox sendsms interface, e.g. http://127.0.0.1:13013/cgi-bin/sendsms. */
  sendsmsUrl: z.url({ protocol: /^https?$/ }),
  /** A sendsms-user with max-messages > 1 and concatenation = true, or smsbox silently truncates to one SMS. */
  username: z.string().min(1),
  password: z.string().min(1),
  /** Base URL smsbox calls back for DLRs (`/dlr`); MO arrives at `/mo` through the sms-service post-url. */
  callbackUrl: z.url({ protocol: /^https?$/ }),
  /** When set, callbacks must carry `token=<this>` in their query (put it into the post-url too). */
  callbackToken: z.string().min(16).optional(),
  /** Kannel dlr-mask: 1 delivered, 2 failed, 4 buffered, 8 SMSC ack, 16 SMSC reject. */
  dlrMask: z.number().int().min(1).max(31).default(31),
  /** The sendsms-user's max-messages: longer SMS are refused here instead of being truncated by smsbox. */
  maxMessages: z.number().int().min(1).max(255).default(10),
  /** Route MT through this smsc-id. */
  smsc: z.string().min(1).optional(),
  requestTimeoutMs: z.number().int().min(10).max(120_000).default(5_000),
  maxCallbackBodyBytes: z.number().int().min(256).max(1_048_576).default(65_536),
});

/** The `sms` config section: text policy and one transport. */
export const smsConfigSchema = z.strictObject({
  text: smsTextPolicySchema.prefault({}),
  transport: z.discriminatedUnion('kind', [
    smppTransportSchema.extend({ kind: z.literal('smpp') }),
    kannelTransportSchema.extend({ kind: z.literal('kannel') }),
  ]),
});

/** Parsed config types, derived from the schemas above. */
export type SmsConfig = z.output<typeof smsConfigSchema>;
export type SmppTransportConfig = z.output<typeof smppTransportSchema>;
export type KannelTransportConfig = z.output<typeof kannelTransportSchema>;
