// Pre-encoded WV-SSP 1.3 session messages for load peers (ssp-profile §2, §5): fill-in templates and a scanner.
import { encodeSspMessage, statusOf, type SessionMessage, type TransactionBody } from '../../src/ssp';

/** Per-message values of a SendMessageRequest (ids must be XML-attribute safe: we generate them). */
export interface SendMessageValues {
  sessionID: string;
  transactionID: string;
  messageID: string;
  recipient: string;
  sender: string;
}

/** One transaction as the scanner sees it: just what a load peer needs to correlate and count. */
export interface ScannedTransaction {
  mode: 'Request' | 'Response';
  transactionID: string;
  /** Local name of the transaction element, e.g. `SendMessageRequest`. */
  kind: string;
  messageID?: string;
  statusCode?: number;
}

/**
 * The text both the gateway and the bare forwarder carry (a realistic person-to-person IM, with non-ASCII
 * and an emoji so the base64 ContentData is of typical size).
 */
export const BENCH_TEXT = 'Hei! Er du på vei? Vi sees ved inngangen til Operaen kl. 19:30 🙂';

const MARK = (name: string): string => `__${name}__`;

/** A template cut at its markers once; filling it is string concatenation only. */
function compileTemplate(xml: string, names: readonly string[]): (values: readonly string[]) => string {
  const pattern = new RegExp(names.map((name) => MARK(name)).join('|'), 'g');
  const literals = xml.split(pattern);
  const order = [...xml.matchAll(pattern)].map((match) => names.indexOf(match[0].slice(2, -2)));
  return (values) => {
    let out = literals[0] as string;
    for (let index = 0; index < order.length; index += 1) out += (values[order[index] as number] as string) + (literals[index + 1] as string);
    return out;
  };
}

function sessionTemplate(mode: 'Request' | 'Response', body: TransactionBody): string {
  const message: SessionMessage = { kind: 'session', sessionID: MARK('SID'), transactions: [{ mode, transactionID: MARK('TID'), body }] };
  return encodeSspMessage(message);
}

const REQUEST_FIELDS = ['TID', 'MID', 'TO', 'FROM'] as const;
const ANSWER_FIELDS = ['TID', 'MID'] as const;

/**
 * Build the fill-in functions from the project's own encoder, so the bytes on the wire are exactly what an
 * SSP peer built on our codec would send. `deliveryReport="No"`: one request and one answer per message.
 */
export function createSspTemplates(): {
  /** Several SendMessageRequests in one Session message (ssp-profile §2); one is the usual case. */
  sendMessageRequests(sessionID: string, requests: ReadonlyArray<Omit<SendMessageValues, 'sessionID'>>): string;
  /** The answers to several requests in one Session message, as the project's SspNode sends them. */
  sendMessageAnswers(sessionID: string, answers: ReadonlyArray<{ transactionID: string; messageID: string }>): string;
} {
  const bytes = Buffer.from(BENCH_TEXT, 'utf8');
  const request = sessionTemplates(
    sessionTemplate('Request', {
      kind: 'SendMessageRequest',
      deliveryReport: false,
      metaInfo: { clientOriginated: true, requestorUserID: MARK('FROM') },
      messageInfo: {
        messageID: MARK('MID'),
        contentType: 'text/plain',
        contentSize: bytes.length,
        recipients: [{ kind: 'user', userID: MARK('TO') }],
        senderUserID: MARK('FROM'),
        dateTime: '2026-11-23T11:30:00Z',
      },
      content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
    }),
    REQUEST_FIELDS,
  );
  const answer = sessionTemplates(sessionTemplate('Response', { kind: 'SendMessageResponse', messageID: MARK('MID'), status: statusOf(200) }), ANSWER_FIELDS);
  return {
    sendMessageRequests: (sessionID, requests) => request(sessionID, requests.map((v) => [v.transactionID, v.messageID, v.recipient, v.sender])),
    sendMessageAnswers: (sessionID, answers) => answer(sessionID, answers.map((v) => [v.transactionID, v.messageID])),
  };
}

/** Fill-in for a Session message of any number of Transactions: the envelope once, the Transaction per entry. */
function sessionTemplates(xml: string, fields: readonly string[]): (sessionID: string, entries: ReadonlyArray<readonly string[]>) => string {
  const [head, transaction, tail] = splitAtTransaction(xml);
  const fillHead = compileTemplate(head, ['SID']);
  const fillTransaction = compileTemplate(transaction, fields);
  return (sessionID, entries) => {
    let out = fillHead([sessionID]);
    for (const entry of entries) out += fillTransaction(entry);
    return out + tail;
  };
}

/** A one-transaction Session message cut into envelope start, the Transaction element, and envelope end. */
function splitAtTransaction(xml: string): [string, string, string] {
  const start = xml.indexOf('<Transaction ');
  const end = xml.indexOf('</Transaction>') + '</Transaction>'.length;
  return [xml.slice(0, start), xml.slice(start, end), xml.slice(end)];
}

/** The value of attribute `name` inside `text[from, to)`, or undefined. */
function attributeIn(text: string, name: string, from: number, to: number): string | undefined {
  const key = ` ${name}="`;
  const at = text.indexOf(key, from);
  if (at === -1 || at >= to) return undefined;
  const start = at + key.length;
  const end = text.indexOf('"', start);
  return end === -1 ? undefined : text.slice(start, end);
}

/**
 * Read a Session message just far enough to correlate it: session id, and per Transaction its mode, id, element
 * and message id / status code. Returns null for anything else (set-up messages go to the full decoder).
 * This is a load peer's shortcut, not a decoder: it trusts the gateway's own compact encoding.
 */
export function scanSessionMessage(text: string): { sessionID: string; transactions: ScannedTransaction[] } | null {
  const session = text.indexOf('<Session ');
  if (session === -1) return null;
  const sessionID = attributeIn(text, 'sessionID', session, text.indexOf('>', session));
  if (sessionID === undefined) return null;
  const transactions: ScannedTransaction[] = [];
  let at = text.indexOf('<Transaction ', session);
  while (at !== -1) {
    const tagEnd = text.indexOf('>', at);
    const next = text.indexOf('<Transaction ', tagEnd);
    const end = next === -1 ? text.length : next;
    const mode = attributeIn(text, 'mode', at, tagEnd);
    const transactionID = attributeIn(text, 'transactionID', at, tagEnd);
    if ((mode !== 'Request' && mode !== 'Response') || transactionID === undefined) return null;
    const nameEnd = text.slice(tagEnd + 2, tagEnd + 64).search(/[\s/>]/);
    const kind = text.slice(tagEnd + 2, tagEnd + 2 + nameEnd);
    const messageID = attributeIn(text, 'messageID', tagEnd, end);
    const code = attributeIn(text, 'code', tagEnd, end);
    transactions.push({ mode, transactionID, kind, ...(messageID !== undefined ? { messageID } : {}), ...(code !== undefined ? { statusCode: Number(code) } : {}) });
    at = next;
  }
  return { sessionID, transactions };
}
