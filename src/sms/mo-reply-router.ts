// Replies from legacy customers (seed 000 use case 4, IM-0050): an MO SMS becomes an IM to the user it answers.
import { randomUUID } from 'node:crypto';
import { toGatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import type { SendMessageRequest } from '../ssp';
import { composeSms } from './compose-sms';
import { ConcatReassembler, type ReassembledSms } from './concat-reassembler';
import { normaliseSmsAddress, type ConversationCorrelator, type ReplyMatch } from './conversation-correlator';
import type { AdmitSmsTransaction } from './sms-origin';
import type { SmsRepliesConfig } from './sms-service-config';
import type { MobileOriginatedSms, SmsTransport } from './sms-transport';

export interface MoReplyRouterOptions {
  transport: SmsTransport;
  correlator: ConversationCorrelator;
  admit: AdmitSmsTransaction;
  replies: SmsRepliesConfig;
  /** Milliseconds clock (injected for tests). */
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** The help answer is one SMS whatever its text: cut rather than refused. */
const HELP_POLICY = { oversize: 'truncate', maxParts: 1, prefix: '', suffix: '' } as const;

/**
 * Joins concatenated replies (parts may arrive in any order), finds the conversation, and stores the IM
 * before resolving — the transport acknowledges the SMSC only then. An SMS that matches no conversation
 * is answered with the configured help text, never dropped silently.
 */
export class MoReplyRouter {
  private readonly reassembler: ConcatReassembler;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MoReplyRouterOptions) {
    this.reassembler = new ConcatReassembler({ timeoutMs: options.replies.reassemblyTimeoutMs, maxPending: options.replies.maxPendingReassemblies, clock: options.now });
  }

  async onMobileOriginated(sms: MobileOriginatedSms): Promise<void> {
    const released = this.reassembler.add(sms);
    this.scheduleExpiry();
    for (const whole of released) {
      try {
        await this.route(whole);
      } catch (error) {
        // A transient failure makes the SMSC offer `sms` again: the parts acknowledged before wait for it anew.
        if (toGatewayError(error).transient) {
          for (const part of whole.parts) if (part !== sms) for (const evicted of this.reassembler.add(part)) this.routeLater(evicted);
          this.scheduleExpiry();
        }
        throw error;
      }
    }
  }

  /** A reply released by time or by the pending bound: nobody waits for its outcome, so a failure is logged. */
  private routeLater(sms: ReassembledSms): void {
    void this.route(sms).catch((error: unknown) => this.options.logger.error({ err: error, from: sms.from }, 'incomplete sms reply lost'));
  }

  /** Cancel the reassembly timer (parts still waiting are lost: a limitation of in-memory reassembly). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleExpiry(): void {
    const at = this.reassembler.nextExpiryAt();
    if (at === undefined || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const partial of this.reassembler.expire()) this.routeLater(partial);
      this.scheduleExpiry();
    }, Math.max(0, at - this.options.now()));
    this.timer.unref();
  }

  private async route(sms: ReassembledSms): Promise<void> {
    const customer = normaliseSmsAddress(sms.from);
    const match = await this.options.correlator.imUserFor(customer, normaliseSmsAddress(sms.to));
    this.options.metrics?.smsMobileOriginated.inc({ outcome: match ? (match.via === 'conversation' ? 'matched' : 'fallback') : 'unmatched' });
    if (!match) return this.answerHelp(sms, customer);
    if (!sms.complete) this.options.logger.warn({ missingParts: sms.missingParts, partCount: sms.partCount }, 'sms reply passed on incomplete');
    await this.options.admit(`mo-${randomUUID()}`, this.imOf(sms, customer, match));
  }

  private imOf(sms: ReassembledSms, customer: string, match: ReplyMatch): SendMessageRequest {
    const bytes = Buffer.from(sms.text, 'utf8');
    const sender = `wv:${customer}`;
    return {
      kind: 'SendMessageRequest',
      deliveryReport: false,
      metaInfo: { requestorUserID: sender },
      messageInfo: {
        messageID: randomUUID(),
        contentType: 'text/plain',
        contentSize: bytes.length,
        recipients: [{ kind: 'user', userID: match.imUser }],
        senderUserID: sender,
        dateTime: sms.receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
    };
  }

  /** A transient submit failure rejects, so the SMSC offers the SMS again later. */
  private async answerHelp(sms: ReassembledSms, customer: string): Promise<void> {
    const help = composeSms({ text: this.options.replies.helpText }, HELP_POLICY);
    this.options.logger.info({ to: sms.to }, 'sms matches no conversation: help answer');
    await this.options.transport.submit({ reference: randomUUID(), from: normaliseSmsAddress(sms.to), to: customer, sms: help, requestReceipt: false });
  }
}
