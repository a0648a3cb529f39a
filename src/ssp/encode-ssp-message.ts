// WV-SSP 1.3 encoder, typed message → XML text (ssp-profile.md §2: UTF-8, declaration, compact, escaped).

import { GatewayError } from '../errors';
import { isFaulty, type SessionMessage, type SspMessage } from './messages';
import { SSP_NAMESPACE } from './namespaces';
import { encodeSetupElement } from './encode-setup-element';
import { encodeTransactionBody } from './encode-transaction-body';
import { attribute } from './xml-writers';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?><WV-SSP-Message xmlns="${SSP_NAMESPACE}">`;
const TAIL = '</WV-SSP-Message>';

function encodeSession(message: SessionMessage): string {
  let xml = `<Session${attribute('sessionID', message.sessionID)}>`;
  for (const transaction of message.transactions) {
    if (isFaulty(transaction)) {
      // A fault is what we read, not something to send: answer it with a Status transaction instead.
      throw new GatewayError('INTERNAL', 'a FaultyTransaction cannot be encoded; answer it with a Status', { impsStatus: 500 });
    }
    xml += `<Transaction mode="${transaction.mode}"${attribute('transactionID', transaction.transactionID)}>`
      + `${encodeTransactionBody(transaction.body)}</Transaction>`;
  }
  return `${xml}</Session>`;
}

/**
 * Encode one message as compact UTF-8 XML (the caller sends `Buffer.from(text)` or lets HTTP encode it).
 * Throws GatewayError INTERNAL for values no peer should ever see (negative numbers, faulty transactions).
 */
export function encodeSspMessage(message: SspMessage): string {
  if (message.kind === 'session') return HEAD + encodeSession(message) + TAIL;
  return `${HEAD}<SetupTransaction mode="${message.mode}"${attribute('transactionID', message.transactionID)}>`
    + `${encodeSetupElement(message.body)}</SetupTransaction>${TAIL}`;
}
