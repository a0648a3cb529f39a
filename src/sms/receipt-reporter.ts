// Delivery receipts → DeliveryStatusReport (ssp-profile §5; seed 000 use case 2): one report per IM that asked for it.
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { statusOf, type TransactionBody } from '../ssp';
import type { SmsStore, SmsSubmission } from '../store';
import type { AdmitSmsTransaction } from './sms-origin';
import type { DeliveryReceipt } from './sms-transport';

export interface ReceiptReporterOptions {
  store: SmsStore;
  admit: AdmitSmsTransaction;
  /** Our domain: the report's requestor service. */
  domain: string;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/**
 * Counts final receipts per submission (one per SMPP part): the first failure or the last delivered part
 * concludes it, and when the IM asked for a report (`DeliveryReport="Yes"`) a DeliveryStatusReport to the
 * IM sender is stored and delivered like any other transaction (queued while the origin is down).
 */
export class ReceiptReporter {
  constructor(private readonly options: ReceiptReporterOptions) {}

  async onReceipt(receipt: DeliveryReceipt): Promise<void> {
    this.options.metrics?.smsReceipts.inc({ state: receipt.state });
    if (!receipt.final) return;
    const submission = await this.submissionOf(receipt);
    if (!submission) {
      this.options.logger.info({ smscMessageId: receipt.smscMessageId, state: receipt.state }, 'sms receipt for no known submission');
      return;
    }
    const conclusion = await this.options.store.recordReceipt(submission.reference, receipt.delivered, partNamesOf(receipt));
    if (conclusion !== 'delivered' && conclusion !== 'failed') return;
    this.options.logger.info({ reference: submission.reference, state: receipt.state, conclusion }, 'sms concluded');
    if (!submission.deliveryReport || !submission.imSender) return;
    // Stored again for a repeated receipt: the transaction id makes it one report, also after a crash in between.
    await this.options.admit(`dlr-${submission.reference}`, this.reportOf(submission, receipt, conclusion === 'delivered'));
  }

  private async submissionOf(receipt: DeliveryReceipt): Promise<SmsSubmission | null> {
    const byReference = receipt.reference === undefined ? null : await this.options.store.findByReference(receipt.reference);
    if (byReference || receipt.smscMessageId === undefined) return byReference;
    return this.options.store.findBySmscMessageId(receipt.smscMessageId);
  }

  private reportOf(submission: SmsSubmission, receipt: DeliveryReceipt, delivered: boolean): TransactionBody {
    const result = delivered
      ? statusOf(200)
      : statusOf(538, `SMS not delivered: ${receipt.state}${receipt.errorCode ? ` (error ${receipt.errorCode})` : ''}`, {
          detailedResults: [{ code: 538, description: receipt.state, userIDs: [submission.recipient] }],
        });
    return {
      kind: 'DeliveryStatusReport',
      metaInfo: { requestorServiceID: `wv:@${this.options.domain}` },
      result,
      deliveryTime: (receipt.doneAt ?? receipt.receivedAt).toISOString(),
      messageInfo: {
        messageID: submission.messageID,
        recipients: [{ kind: 'user', userID: submission.recipient }],
        senderUserID: submission.imSender as string,
      },
    };
  }
}

/**
 * The names of the part a receipt is about: its index (the same over a resend, known while the submission is in
 * memory) and the SMSC's id for it (known after a restart too).
 */
function partNamesOf(receipt: DeliveryReceipt): string[] {
  const names: string[] = [];
  if (receipt.partIndex !== undefined) names.push(`part ${receipt.partIndex}`);
  if (receipt.smscMessageId !== undefined) names.push(`smsc id ${receipt.smscMessageId}`);
  return names;
}
