// Reply correlation (seed 000 IM-0050): which number the customer sees, and which IM user an SMS reply is for.
import { GatewayError } from '../errors';
import type { Conversation, SmsStore } from '../store';
import type { SmsSenderConfig } from './sms-service-config';

/** How an MO SMS found its IM user: its own conversation, or the customer's last correspondent (fallback). */
export interface ReplyMatch {
  imUser: string;
  via: 'conversation' | 'last-correspondent';
}

export interface ConversationCorrelatorOptions {
  store: SmsStore;
  sender: SmsSenderConfig;
  idleExpirySeconds: number;
  /** Milliseconds clock (injected for tests). */
  now: () => number;
}

const MSISDN_USER = /^wv:(\+[0-9]{2,15})(?:@|$)/i;

/** `4799000001` → `+4799000001`: SMSCs often drop the `+` of international numbers; anything else stays. */
export function normaliseSmsAddress(address: string): string {
  return /^[0-9]{6,15}$/.test(address) ? `+${address}` : address;
}

/**
 * Keeps one conversation per (customer, reply number) in the SmsStore, so correlation survives restarts.
 * With a pool, each IM user writing to a customer gets its own reply number while numbers are free; when
 * all are taken, the least recently active conversation gives up its number.
 */
export class ConversationCorrelator {
  /**
   * The last piece of work on each customer's conversations: choosing a number reads them and then writes, so
   * two IM users writing to one customer at once must not both see the same number free.
   */
  private readonly customerWork = new Map<string, Promise<unknown>>();

  constructor(private readonly options: ConversationCorrelatorOptions) {}

  /** The sender address for an SMS from `imUser` (null: unknown) to `customer`; records the conversation. */
  senderFor(imUser: string | null, customer: string): Promise<string> {
    return this.oneAtATime(customer, async () => {
      const now = this.options.now();
      const replyNumber = await this.chooseSender(imUser, customer, now);
      if (imUser) await this.options.store.saveConversation({ customer, replyNumber, imUser, lastActiveAtMs: now });
      return replyNumber;
    });
  }

  /** The IM user an SMS from `customer` to our number `to` answers, or null when no conversation is active. */
  imUserFor(customer: string, to: string): Promise<ReplyMatch | null> {
    return this.oneAtATime(customer, () => this.matchReply(customer, to));
  }

  private async matchReply(customer: string, to: string): Promise<ReplyMatch | null> {
    const now = this.options.now();
    const active = await this.active(customer, now);
    const own = active.find((conversation) => conversation.replyNumber === to);
    const match = own ?? active[0];
    if (!match) return null;
    await this.options.store.saveConversation({ ...match, lastActiveAtMs: now });
    return { imUser: match.imUser, via: own ? 'conversation' : 'last-correspondent' };
  }

  private async chooseSender(imUser: string | null, customer: string, now: number): Promise<string> {
    const { mode, name, pool } = this.options.sender;
    if (mode === 'alphanumeric' && name) return name;
    const own = imUser ? MSISDN_USER.exec(imUser)?.[1] : undefined;
    if (mode === 'msisdn' && own) return own;
    if (pool.length > 0) return this.fromPool(imUser, await this.active(customer, now));
    if (name) return name;
    throw new GatewayError('SMS_BAD_ADDRESS', `no sender address for ${imUser ?? 'an anonymous sender'}: the user id has no MSISDN and sms.sender has no pool or name`, {
      impsStatus: 402,
    });
  }

  private fromPool(imUser: string | null, active: Conversation[]): string {
    const pool = this.options.sender.pool;
    const inPool = active.filter((conversation) => pool.includes(conversation.replyNumber));
    const own = inPool.find((conversation) => conversation.imUser === imUser);
    if (own) return own.replyNumber;
    const taken = new Set(inPool.map((conversation) => conversation.replyNumber));
    const free = pool.find((number) => !taken.has(number));
    return free ?? (inPool[inPool.length - 1]?.replyNumber as string);
  }

  /** Run `work` after every earlier piece of work on `customer`'s conversations has settled. */
  private oneAtATime<T>(customer: string, work: () => Promise<T>): Promise<T> {
    const result = (this.customerWork.get(customer) ?? Promise.resolve()).then(work);
    const settled = result.catch(() => undefined);
    this.customerWork.set(customer, settled);
    void settled.then(() => {
      if (this.customerWork.get(customer) === settled) this.customerWork.delete(customer);
    });
    return result;
  }

  private active(customer: string, now: number): Promise<Conversation[]> {
    return this.options.store.conversationsOf(customer, now - this.options.idleExpirySeconds * 1000);
  }
}
