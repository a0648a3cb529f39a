// The gateway's `sms` config section (issue 5): text policy and transport, plus sender and reply rules (IM-0050).
import { z } from 'zod';
import { smsConfigSchema } from './sms-config';

const e164 = z.string().regex(/^\+[0-9]{2,15}$/, 'expected + and 2–15 digits, e.g. +4790001000');

/**
 * Who the legacy customer sees as sender: `msisdn` = the IM user's own number (when the user id is one),
 * `pool` = a reply number per conversation, `alphanumeric` = `name` (no reply possible to it, GSM 03.40 §9.1.2.5).
 */
const senderSchema = z
  .strictObject({
    mode: z.enum(['msisdn', 'pool', 'alphanumeric']).default('pool'),
    /** Reply numbers routed by the SMSC to this gateway; also the fallback when a sender has no MSISDN. */
    pool: z.array(e164).default([]),
    /** TS 23.040 §9.1.2.5: at most 11 GSM characters in an alphanumeric originator address. */
    name: z.string().regex(/^[A-Za-z0-9 ._-]{1,11}$/, 'expected 1–11 letters, digits, space . _ -').optional(),
  })
  .refine((sender) => sender.mode !== 'pool' || sender.pool.length > 0, { message: 'mode pool needs at least one number in sms.sender.pool', path: ['pool'] })
  .refine((sender) => sender.mode !== 'alphanumeric' || sender.name !== undefined, { message: 'mode alphanumeric needs sms.sender.name', path: ['name'] });

/** Replies from legacy customers (IM-0050). */
const repliesSchema = z.strictObject({
  /** A conversation (customer, reply number → IM user) ends after this long without traffic. */
  idleExpirySeconds: z.number().int().min(60).max(90 * 86_400).default(7 * 86_400),
  /** Answer to an SMS that matches no conversation: never drop it silently. */
  helpText: z.string().min(1).max(160).default('This number only carries replies to instant messages. Your message could not be delivered.'),
  /** How long to wait for the missing parts of a concatenated reply before passing on what arrived. */
  reassemblyTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
  maxPendingReassemblies: z.number().int().min(1).max(1_000_000).default(10_000),
});

/** `sms`: present when the gateway terminates IM as SMS. */
export const smsServiceSchema = smsConfigSchema.extend({
  sender: senderSchema,
  replies: repliesSchema.prefault({}),
  /** HOST:PORT where the gateway serves Kannel's DLR and MO callbacks (`transport.callbackUrl` must point here). */
  kannelCallbackListen: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT').optional(),
})
  .refine((sms) => sms.transport.kind !== 'kannel' || sms.kannelCallbackListen !== undefined, {
    message: 'a kannel transport needs sms.kannelCallbackListen for its DLR and MO callbacks',
    path: ['kannelCallbackListen'],
  });

export type SmsServiceConfig = z.output<typeof smsServiceSchema>;
export type SmsSenderConfig = SmsServiceConfig['sender'];
export type SmsRepliesConfig = SmsServiceConfig['replies'];
