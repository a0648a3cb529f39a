// SmsStore in SQLite (better-sqlite3, WAL): the same file as the transaction store, its own tables.
import type Database from 'better-sqlite3';
import { openSqlite } from './open-sqlite';
import type { Conversation, PendingMoPart, ReceiptConclusion, RoutedMoMemory, RoutedMoReply, SmsStore, SmsSubmission } from './sms-store';
import { storeWriteFailed } from './store-write-failed';

interface SubmissionRow {
  reference: string;
  record_id: string;
  recipient: string;
  message_id: string;
  origin_domain: string;
  im_sender: string | null;
  delivery_report: number;
  parts: number;
  delivered_parts: number;
  state: SmsSubmission['state'];
  outcome: 'delivered' | 'failed' | null;
  created_at: number;
}

interface ConversationRow {
  customer: string;
  reply_number: string;
  im_user: string;
  last_active_at: number;
}

interface RoutedMoPartRow {
  message_key: string;
  sequence: number;
  text: string;
  routed_at: number;
}

interface PendingMoPartRow {
  message_key: string;
  sequence: number;
  total: number;
  reference: number;
  transport: PendingMoPart['transport'];
  from_address: string;
  to_address: string;
  text: string;
  smsc: string | null;
  received_at: number;
  first_at: number;
}

/** The `limit` oldest submissions created before the cut-off: what one purge step forgets. */
const OLDEST_SUBMISSIONS = 'SELECT reference FROM sms_submission WHERE created_at < ? ORDER BY created_at LIMIT ?';

// The purge indexes (idle conversations, submission age, ids by submission) let each purge step read only the
// rows it forgets; a file written before gets them on open.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sms_submission (
  reference TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  message_id TEXT NOT NULL,
  origin_domain TEXT NOT NULL,
  im_sender TEXT,
  delivery_report INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  delivered_parts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  outcome TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (record_id, recipient)
);
CREATE TABLE IF NOT EXISTS sms_smsc_id (
  smsc_id TEXT PRIMARY KEY,
  reference TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sms_delivered_part (
  reference TEXT NOT NULL,
  part TEXT NOT NULL,
  PRIMARY KEY (reference, part)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sms_conversation (
  customer TEXT NOT NULL,
  reply_number TEXT NOT NULL,
  im_user TEXT NOT NULL,
  last_active_at INTEGER NOT NULL,
  PRIMARY KEY (customer, reply_number)
);
CREATE INDEX IF NOT EXISTS sms_conversation_recent ON sms_conversation (customer, last_active_at);
CREATE INDEX IF NOT EXISTS sms_conversation_idle ON sms_conversation (last_active_at);
CREATE INDEX IF NOT EXISTS sms_submission_age ON sms_submission (created_at);
CREATE INDEX IF NOT EXISTS sms_smsc_id_reference ON sms_smsc_id (reference);
CREATE TABLE IF NOT EXISTS sms_waiting_mo_part (
  message_key TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  total INTEGER NOT NULL,
  reference INTEGER NOT NULL,
  transport TEXT NOT NULL,
  from_address TEXT NOT NULL,
  to_address TEXT NOT NULL,
  text TEXT NOT NULL,
  smsc TEXT,
  received_at INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  PRIMARY KEY (message_key, first_at, sequence)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sms_routed_mo_part (
  message_key TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  text TEXT NOT NULL,
  routed_at INTEGER NOT NULL,
  PRIMARY KEY (message_key, sequence)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sms_routed_mo_part_age ON sms_routed_mo_part (routed_at);
`;

const WAITING_PART_COLUMNS = 'message_key, sequence, total, reference, transport, from_address, to_address, text, smsc, received_at, first_at';

/**
 * Builds before the waits of one reply key were kept apart stored waiting parts, with the same columns, in
 * `sms_pending_mo_part`: a file they wrote hands its parts on to `sms_waiting_mo_part` on open, so that an
 * upgrade loses none of the replies that were waiting. Look and move in one write transaction (replicas).
 */
function takeOverFormerWaitingParts(db: Database.Database): void {
  db.transaction(() => {
    const former = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sms_pending_mo_part'").get();
    if (former === undefined) return;
    db.exec(`INSERT OR IGNORE INTO sms_waiting_mo_part (${WAITING_PART_COLUMNS}) SELECT ${WAITING_PART_COLUMNS} FROM sms_pending_mo_part`);
    db.exec('DROP TABLE sms_pending_mo_part');
  }).immediate();
}

function toSubmission(row: SubmissionRow): SmsSubmission {
  return {
    reference: row.reference,
    recordId: row.record_id,
    recipient: row.recipient,
    messageID: row.message_id,
    originDomain: row.origin_domain,
    imSender: row.im_sender,
    deliveryReport: row.delivery_report === 1,
    parts: row.parts,
    state: row.state,
    createdAtMs: row.created_at,
  };
}

function toPendingMoPart(row: PendingMoPartRow): PendingMoPart {
  return {
    messageKey: row.message_key,
    sequence: row.sequence,
    total: row.total,
    reference: row.reference,
    transport: row.transport,
    from: row.from_address,
    to: row.to_address,
    text: row.text,
    ...(row.smsc === null ? {} : { smsc: row.smsc }),
    receivedAtMs: row.received_at,
    firstAtMs: row.first_at,
  };
}

function toConversation(row: ConversationRow): Conversation {
  return { customer: row.customer, replyNumber: row.reply_number, imUser: row.im_user, lastActiveAtMs: row.last_active_at };
}

export class SqliteSmsStore implements SmsStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** `path` ':memory:' keeps everything in memory (tests); any other path is a file, created if absent. */
  constructor(path: string) {
    this.db = openSqlite(path, SCHEMA);
    takeOverFormerWaitingParts(this.db);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO sms_submission (reference, record_id, recipient, message_id, origin_domain, im_sender, delivery_report, parts, state, created_at)
         VALUES (@reference, @recordId, @recipient, @messageID, @originDomain, @imSender, @deliveryReport, @parts, @state, @createdAtMs)
         ON CONFLICT (record_id, recipient) DO NOTHING`,
      ),
      byPair: this.db.prepare<[string, string], SubmissionRow>('SELECT * FROM sms_submission WHERE record_id = ? AND recipient = ?'),
      byReference: this.db.prepare<[string], SubmissionRow>('SELECT * FROM sms_submission WHERE reference = ?'),
      bySmscId: this.db.prepare<[string], SubmissionRow>('SELECT s.* FROM sms_smsc_id i JOIN sms_submission s ON s.reference = i.reference WHERE i.smsc_id = ?'),
      submitted: this.db.prepare<[string]>("UPDATE sms_submission SET state = 'submitted' WHERE reference = ? AND state = 'submitting'"),
      smscId: this.db.prepare<[string, string]>('INSERT OR REPLACE INTO sms_smsc_id (smsc_id, reference) VALUES (?, ?)'),
      delivered: this.db.prepare<[string]>('UPDATE sms_submission SET delivered_parts = delivered_parts + 1 WHERE reference = ?'),
      deliveredPart: this.db.prepare<[string, string]>('INSERT OR IGNORE INTO sms_delivered_part (reference, part) VALUES (?, ?)'),
      conclude: this.db.prepare<[string, string]>("UPDATE sms_submission SET state = 'concluded', outcome = ? WHERE reference = ?"),
      saveConversation: this.db.prepare(
        `INSERT INTO sms_conversation (customer, reply_number, im_user, last_active_at) VALUES (@customer, @replyNumber, @imUser, @lastActiveAtMs)
         ON CONFLICT (customer, reply_number) DO UPDATE SET im_user = excluded.im_user, last_active_at = excluded.last_active_at`,
      ),
      conversations: this.db.prepare<[string, number], ConversationRow>(
        'SELECT * FROM sms_conversation WHERE customer = ? AND last_active_at >= ? ORDER BY last_active_at DESC, rowid DESC',
      ),
      purgeConversations: this.db.prepare<[number, number]>(
        'DELETE FROM sms_conversation WHERE rowid IN (SELECT rowid FROM sms_conversation WHERE last_active_at < ? ORDER BY last_active_at LIMIT ?)',
      ),
      // The three run in one transaction, ids and parts first: each subquery picks the same oldest submissions.
      purgeIds: this.db.prepare<[number, number]>(`DELETE FROM sms_smsc_id WHERE reference IN (${OLDEST_SUBMISSIONS})`),
      purgeParts: this.db.prepare<[number, number]>(`DELETE FROM sms_delivered_part WHERE reference IN (${OLDEST_SUBMISSIONS})`),
      purgeSubmissions: this.db.prepare<[number, number]>(`DELETE FROM sms_submission WHERE reference IN (${OLDEST_SUBMISSIONS})`),
      savePendingMoPart: this.db.prepare(
        `INSERT OR REPLACE INTO sms_waiting_mo_part (message_key, sequence, total, reference, transport, from_address, to_address, text, smsc, received_at, first_at)
         VALUES (@messageKey, @sequence, @total, @reference, @transport, @from, @to, @text, @smsc, @receivedAtMs, @firstAtMs)`,
      ),
      deletePendingMoPart: this.db.prepare<[string, number, number]>('DELETE FROM sms_waiting_mo_part WHERE message_key = ? AND first_at = ? AND sequence = ?'),
      moveMoWait: this.db.prepare<[number, string, number]>('UPDATE sms_waiting_mo_part SET first_at = ? WHERE message_key = ? AND first_at = ?'),
      pendingMoParts: this.db.prepare<[], PendingMoPartRow>('SELECT * FROM sms_waiting_mo_part ORDER BY first_at, message_key, sequence'),
      forgetRoutedReply: this.db.prepare<[string]>('DELETE FROM sms_routed_mo_part WHERE message_key = ?'),
      forgetOldRoutedReplies: this.db.prepare<[number]>('DELETE FROM sms_routed_mo_part WHERE routed_at < ?'),
      saveRoutedPart: this.db.prepare<[string, number, string, number]>('INSERT INTO sms_routed_mo_part (message_key, sequence, text, routed_at) VALUES (?, ?, ?, ?)'),
      routedParts: this.db.prepare<[number], RoutedMoPartRow>('SELECT * FROM sms_routed_mo_part WHERE routed_at >= ? ORDER BY routed_at, message_key, sequence'),
    };
  }

  async beginSubmission(entry: SmsSubmission): Promise<SmsSubmission> {
    return written(() => {
      this.statements.insert.run({ ...entry, deliveryReport: entry.deliveryReport ? 1 : 0 });
      return toSubmission(this.statements.byPair.get(entry.recordId, entry.recipient) as SubmissionRow);
    });
  }

  async markSubmitted(reference: string, smscMessageIds: string[]): Promise<void> {
    written(() =>
      this.db.transaction(() => {
        this.statements.submitted.run(reference);
        for (const id of smscMessageIds) this.statements.smscId.run(id, reference);
      })(),
    );
  }

  async findByReference(reference: string): Promise<SmsSubmission | null> {
    const row = this.statements.byReference.get(reference);
    return row ? toSubmission(row) : null;
  }

  async findBySmscMessageId(smscMessageId: string): Promise<SmsSubmission | null> {
    const row = this.statements.bySmscId.get(smscMessageId);
    return row ? toSubmission(row) : null;
  }

  async recordReceipt(reference: string, delivered: boolean, parts: readonly string[] = []): Promise<ReceiptConclusion> {
    // One transaction: two receipts racing for the last part must not both conclude.
    return written(() => this.db.transaction((): ReceiptConclusion => {
      const row = this.statements.byReference.get(reference);
      if (!row) return 'unknown';
      if (row.state === 'concluded') return row.outcome ?? 'failed';
      if (delivered && parts.length > 0) {
        // Every name is recorded, so that a repeat known by either one (index in memory, id after a restart) is caught.
        const known = parts.map((part) => this.statements.deliveredPart.run(reference, part).changes === 0);
        if (known.includes(true)) return 'pending';
      }
      const outcome = !delivered ? 'failed' : row.delivered_parts + 1 < row.parts ? 'pending' : 'delivered';
      if (delivered) this.statements.delivered.run(reference);
      if (outcome !== 'pending') this.statements.conclude.run(outcome, reference);
      return outcome;
    })());
  }

  async saveConversation(conversation: Conversation): Promise<void> {
    written(() => this.statements.saveConversation.run(conversation));
  }

  async conversationsOf(customer: string, sinceMs: number): Promise<Conversation[]> {
    return this.statements.conversations.all(customer, sinceMs).map(toConversation);
  }

  async purge(beforeMs: number, limit: number): Promise<number> {
    return this.db.transaction(() => {
      const conversations = this.statements.purgeConversations.run(beforeMs, limit).changes;
      this.statements.purgeIds.run(beforeMs, limit);
      this.statements.purgeParts.run(beforeMs, limit);
      return conversations + this.statements.purgeSubmissions.run(beforeMs, limit).changes;
    })();
  }

  async savePendingMoPart(part: PendingMoPart): Promise<void> {
    written(() => this.statements.savePendingMoPart.run({ ...part, smsc: part.smsc ?? null }));
  }

  async deletePendingMoParts(messageKey: string, firstAtMs: number, sequences: readonly number[], routed?: RoutedMoMemory): Promise<void> {
    written(() =>
      this.db.transaction(() => {
        for (const sequence of sequences) this.statements.deletePendingMoPart.run(messageKey, firstAtMs, sequence);
        if (!routed) return;
        this.statements.forgetOldRoutedReplies.run(routed.forgetBeforeMs);
        this.statements.forgetRoutedReply.run(messageKey);
        for (const [sequence, text] of routed.texts) this.statements.saveRoutedPart.run(messageKey, sequence, text, routed.routedAtMs);
      })(),
    );
  }

  async routedMoReplies(sinceMs: number): Promise<RoutedMoReply[]> {
    const byKey = new Map<string, { messageKey: string; routedAtMs: number; texts: Map<number, string> }>();
    for (const row of this.statements.routedParts.all(sinceMs)) {
      const reply = byKey.get(row.message_key) ?? { messageKey: row.message_key, routedAtMs: row.routed_at, texts: new Map<number, string>() };
      reply.texts.set(row.sequence, row.text);
      byKey.set(row.message_key, reply);
    }
    return [...byKey.values()];
  }

  async moveMoWait(messageKey: string, fromFirstAtMs: number, toFirstAtMs: number): Promise<void> {
    written(() => this.statements.moveMoWait.run(toFirstAtMs, messageKey, fromFirstAtMs));
  }

  async pendingMoParts(): Promise<PendingMoPart[]> {
    return this.statements.pendingMoParts.all().map(toPendingMoPart);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Run a write; what SQLite throws (disk full, busy) is a transient STORE_WRITE_FAILED, so the SMSC or the scheduler tries again. */
function written<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw storeWriteFailed(error);
  }
}
