// IM → SMS termination (seed 000 use case 2, IM-0030; issue 5): compose, choose the sender, store, submit.
import { randomUUID } from 'node:crypto';
import { GatewayError, toGatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import type { SendMessageRequest } from '../ssp';
import type { SmsStore } from '../store';
import { composeSms, type SmsTextPolicy } from './compose-sms';
import type { ConversationCorrelator } from './conversation-correlator';
import type { SmsTransport } from './sms-transport';

/** One recipient of a stored SendMessageRequest that routing decided to reach by SMS. */
export interface SmsTerminationTarget {
  recordId: string;
  originDomain: string;
  /** The recipient's user id as in the request (`wv:+MSISDN`). */
  recipient: string;
  msisdn: string;
  request: SendMessageRequest;
}

export interface SmsTerminationOptions {
  transport: SmsTransport;
  store: SmsStore;
  correlator: ConversationCorrelator;
  text: SmsTextPolicy;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** Content types sent as SMS text (ssp-profile §5: IM content is text/plain, UTF-8 unless a charset says otherwise). */
const TEXT_CONTENT = /^text\/plain\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Sends one SMS per recipient. The submission is stored before the transport sees it, once per
 * (record, recipient): a redelivery round after a transient failure reuses its reference, and a round after
 * the SMSC's acceptance was stored does not send it again. When the outcome is unknown — the submit_sm_resp
 * was lost, or we stopped between the SMSC's answer and storing it — the SMS is sent again: a possible
 * duplicate rather than a possible loss.
 */
export class SmsTermination {
  constructor(private readonly options: SmsTerminationOptions) {}

  /** Resolves once the SMSC took every part; rejects with a GatewayError (transient: keep queued). */
  async terminate(target: SmsTerminationTarget): Promise<void> {
    const { request } = target;
    const imSender = request.messageInfo.senderUserID ?? request.metaInfo?.requestorUserID ?? null;
    try {
      const sms = composeSms({ text: textOf(request), sender: displayNameOf(imSender) }, this.options.text);
      const submission = await this.options.store.beginSubmission({
        reference: randomUUID(),
        recordId: target.recordId,
        recipient: target.recipient,
        messageID: request.messageInfo.messageID,
        originDomain: target.originDomain,
        imSender,
        deliveryReport: request.deliveryReport,
        parts: this.options.transport.kind === 'kannel' ? 1 : sms.segments.length,
        state: 'submitting',
        createdAtMs: this.options.now(),
      });
      if (submission.state !== 'submitting') return;
      const from = await this.options.correlator.senderFor(imSender, target.msisdn);
      const outbound = { reference: submission.reference, from, to: target.msisdn, sms, requestReceipt: request.deliveryReport };
      const result = await this.options.transport.submit(outbound);
      await this.options.store.markSubmitted(submission.reference, result.smscMessageIds);
      this.options.metrics?.smsSubmitted.inc({ transport: this.options.transport.kind, encoding: sms.encoding, parts: String(sms.segments.length) });
      this.options.logger.info({ id: target.recordId, reference: submission.reference, encoding: sms.encoding, parts: sms.segments.length, truncated: sms.truncated }, 'sms submitted');
    } catch (error) {
      const failure = toGatewayError(error);
      this.options.metrics?.smsSubmitErrors.inc({ code: failure.code });
      throw failure;
    }
  }
}

function textOf(request: SendMessageRequest): string {
  const content = request.content;
  const type = content?.contentType ?? request.messageInfo.contentType ?? 'text/plain';
  if (!content || !TEXT_CONTENT.test(type.trim())) {
    throw new GatewayError('SMS_UNSUPPORTED_CONTENT', `only text/plain can be sent as SMS, not ${content ? type : 'an empty message'}`, { impsStatus: 415 });
  }
  return content.bytes.toString('utf8');
}

/** `wv:alice@imsp-a.test` → `alice`, `wv:+4790000001` → `+4790000001`, for `{sender}` in the operator text. */
function displayNameOf(userID: string | null): string {
  if (!userID) return '';
  const local = userID.replace(/^wv:/i, '');
  const at = local.lastIndexOf('@');
  return at === -1 ? local : local.slice(0, at);
}
