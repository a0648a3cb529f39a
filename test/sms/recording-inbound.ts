// Test consumer of SMS inbound traffic: records receipts and MO, emits them, and can be told to fail.
import { EventEmitter } from 'node:events';
import { GatewayError } from '../../src/errors';
import { waitForEvent } from '../support/wait-for';
import type { DeliveryReceipt, MobileOriginatedSms, SmsInboundHandler, SmsTransport, SmsTransportState } from '../../src/sms';

export class RecordingInbound extends EventEmitter<{ receipt: [DeliveryReceipt]; mo: [MobileOriginatedSms] }> implements SmsInboundHandler {
  readonly receipts: DeliveryReceipt[] = [];
  readonly mos: MobileOriginatedSms[] = [];
  /** When set, the next inbound item is refused with this error instead of being recorded. */
  failNext: GatewayError | undefined;

  async receipt(receipt: DeliveryReceipt): Promise<void> {
    this.refuseIfAsked();
    this.receipts.push(receipt);
    this.emit('receipt', receipt);
  }

  async mobileOriginated(sms: MobileOriginatedSms): Promise<void> {
    this.refuseIfAsked();
    this.mos.push(sms);
    this.emit('mo', sms);
  }

  /** The next receipt recorded from now on. */
  nextReceipt(timeoutMs = 10_000): Promise<DeliveryReceipt> {
    return waitForEvent<DeliveryReceipt>(this, 'receipt', () => true, timeoutMs);
  }

  /** The next MO recorded from now on. */
  nextMo(timeoutMs = 10_000): Promise<MobileOriginatedSms> {
    return waitForEvent<MobileOriginatedSms>(this, 'mo', () => true, timeoutMs);
  }

  /** Resolve once `count` receipts have been recorded. */
  receiptCount(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.receipts.length >= count) return Promise.resolve();
    return waitForEvent(this, 'receipt', () => this.receipts.length >= count, timeoutMs).then(() => undefined);
  }

  private refuseIfAsked(): void {
    const error = this.failNext;
    this.failNext = undefined;
    if (error) throw error;
  }
}

/** Resolve once the transport is in `state` (at once if it already is); bounded so a broken test fails. */
export function waitForState(transport: SmsTransport, state: SmsTransportState, timeoutMs = 10_000): Promise<void> {
  if (transport.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`transport did not become ${state} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = transport.onStateChange((current) => {
      if (current !== state) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

export function transientError(): GatewayError {
  return new GatewayError('INTERNAL', 'store busy', { transient: true });
}

export function permanentError(): GatewayError {
  return new GatewayError('INTERNAL', 'unknown recipient', { transient: false });
}
