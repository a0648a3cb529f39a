// SSP session set-up with domain verification by call-back (ssp-profile §4): one entry for both roles.
import type { SetupMessage } from '../ssp';
import type { SspSession } from './session-table';
import type { SetupOptions } from './setup-common';
import { SetupInitiator } from './setup-initiator';
import { SetupResponder } from './setup-responder';

export type { SetupOptions, SetupSender } from './setup-common';

export class SetupHandshake {
  private readonly initiator: SetupInitiator;
  private readonly responder: SetupResponder;

  constructor(options: SetupOptions) {
    this.initiator = new SetupInitiator(options);
    this.responder = new SetupResponder(options);
  }

  /** A live session with `domain`, setting one up first if needed; concurrent callers share one set-up. */
  sessionWith(domain: string): Promise<SspSession> {
    return this.initiator.sessionWith(domain);
  }

  /**
   * Handle one inbound set-up message. Returns a refusal to put in the HTTP response body when the message
   * cannot be tied to a set-up in progress; every other answer goes out as a separate POST.
   */
  receive(message: SetupMessage, remoteAddress: string): SetupMessage | undefined {
    const { body, mode, transactionID } = message;
    if (body.kind === 'Status') {
      // A Status in place of a set-up step ends the attempt it belongs to, in either role.
      const description = `${body.status.code} ${body.status.description ?? ''}`.trim();
      this.initiator.abort(transactionID, description, remoteAddress);
      this.responder.abort(transactionID, remoteAddress);
      return undefined;
    }
    return mode === 'Request' ? this.responder.receiveRequest(message, remoteAddress) : this.initiator.receiveAnswer(transactionID, body, remoteAddress);
  }

  /** Forget responder attempts that stalled; called by the housekeeping timer. */
  sweep(): void {
    this.responder.sweep();
  }
}
