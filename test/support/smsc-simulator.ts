// SMSC simulator for tests (SMPP 3.4, node-smpp server mode) on 127.0.0.1 port 0: receipts, MO, throttling, outages.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as smpp from 'smpp';
import type { Pdu, Server, Session } from 'smpp';

const ESME_ROK = 0x00;
const ESME_RBINDFAIL = 0x0d;
const ESME_RTHROTTLED = 0x58;

/** One submit_sm as the simulator saw it, decoded by node-smpp (an implementation independent of ours). */
export interface RecordedSubmit {
  sourceAddr: string;
  sourceTon: number;
  destinationAddr: string;
  destinationTon: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** The whole UDH including its length octet, when esm_class has UDHI. */
  udh?: Buffer;
  text: string;
  /** Payload octets after the UDH, re-encoded with node-smpp's own coders (septets for GSM, UTF-16BE for UCS-2). */
  payloadOctets: number;
  /** command_status we answered. */
  status: number;
  /** submit_sm_resp message_id (hex), when accepted. */
  messageId?: string;
  /** The same id in decimal, as this simulator writes it into receipt texts. */
  decimalId?: string;
}

export interface SmscSimulatorOptions {
  systemId?: string;
  password?: string;
}

export interface MoInjection {
  from: string;
  to: string;
  text: string;
  /** 0x00 GSM (default) or 0x08 UCS-2, encoded by node-smpp. */
  dataCoding?: number;
  /** A whole UDH (with its length octet): node-smpp prepends it and sets UDHI. */
  udh?: Buffer;
}

/**
 * Message ids follow a common real-SMSC habit: hex in submit_sm_resp (and the TLV), decimal in the receipt
 * text (`id:` 10 digits). Receipts: success, or failure for destinations ending in 99.
 */
export class SmscSimulator extends EventEmitter<{ submit: [RecordedSubmit]; bound: [] }> {
  readonly submits: RecordedSubmit[] = [];
  binds = 0;
  /** Put receipted_message_id / message_state TLVs into receipts; without them only the text names the id. */
  receiptTlvs = true;
  /** Answer enquire_link; false simulates a link that is dead although TCP is still up. */
  answerEnquireLink = true;
  /** Answer each submit_sm this much later (a real SMSC's round trip), 0 = at once. */
  responseDelayMs = 0;
  private readonly server: Server;
  private readonly bound = new Set<Session>();
  private refusing = false;
  private nextId = 0x10000;
  private scripted: number[] = [];

  constructor(private readonly options: SmscSimulatorOptions = {}) {
    super();
    this.server = smpp.createServer({}, (session) => this.onSession(session));
  }

  /** Submits that were accepted, in the order the simulator accepted them. */
  get accepted(): RecordedSubmit[] {
    return this.submits.filter((submit) => submit.status === ESME_ROK);
  }

  get boundSessions(): number {
    return this.bound.size;
  }

  /** Listen on 127.0.0.1, port chosen by the OS; returns the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer the next `count` submit_sm with ESME_RTHROTTLED. */
  throttleNext(count: number): void {
    this.answerNext(count, ESME_RTHROTTLED);
  }

  /** Answer the next `count` submit_sm with `status`. */
  answerNext(count: number, status: number): void {
    for (let index = 0; index < count; index++) this.scripted.push(status);
  }

  /** SMSC down: close every connection and close new ones at once (the port stays ours). */
  async down(): Promise<void> {
    this.refusing = true;
    const closing = this.server.sessions.map((session) => new Promise<void>((resolve) => session.destroy(() => resolve())));
    await Promise.all(closing);
  }

  /** SMSC back: accept connections and binds again. */
  up(): void {
    this.refusing = false;
  }

  /** Send an MO deliver_sm to the bound ESME; resolves with the command_status of its deliver_sm_resp. */
  injectMo(mo: MoInjection): Promise<number> {
    const text = mo.udh ? { udh: mo.udh, message: mo.text } : mo.text;
    return this.injectDeliverSm({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: mo.from.replace(/^\+/, ''),
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: mo.to.replace(/^\+/, ''),
      esm_class: 0,
      data_coding: mo.dataCoding ?? 0,
      short_message: text,
    });
  }

  /** Send any deliver_sm (also malformed ones); resolves with the command_status the ESME answered. */
  injectDeliverSm(fields: Record<string, unknown>): Promise<number> {
    const session = [...this.bound].pop();
    if (!session) return Promise.reject(new Error('no ESME is bound to the simulator'));
    return new Promise((resolve) => session.deliver_sm(fields, (response) => resolve(response.command_status)));
  }

  private onSession(session: Session): void {
    if (this.refusing) return session.destroy();
    session.on('error', () => {});
    session.on('close', () => this.bound.delete(session));
    session.on('bind_transceiver', (pdu: Pdu) => this.onBind(session, pdu));
    session.on('enquire_link', (pdu: Pdu) => this.answerEnquireLink && session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => session.send(pdu.response(), () => session.close()));
    session.on('submit_sm', (pdu: Pdu) => this.onSubmit(session, pdu));
  }

  private onBind(session: Session, pdu: Pdu): void {
    if (pdu.system_id !== (this.options.systemId ?? 'gw') || pdu.password !== (this.options.password ?? 'secret')) {
      session.send(pdu.response({ command_status: ESME_RBINDFAIL }), () => session.close());
      return;
    }
    session.send(pdu.response({ system_id: 'SIMSMSC' }));
    this.bound.add(session);
    this.binds++;
    this.emit('bound');
  }

  private onSubmit(session: Session, pdu: Pdu): void {
    const status = this.scripted.shift() ?? ESME_ROK;
    const record = recordOf(pdu, status);
    if (status === ESME_ROK) {
      const id = this.nextId++;
      record.messageId = id.toString(16).toUpperCase();
      record.decimalId = String(id).padStart(10, '0');
    }
    this.submits.push(record);
    const response = pdu.response(status === ESME_ROK ? { message_id: record.messageId } : { command_status: status });
    const answer = () =>
      session.send(response, () => {
        this.emit('submit', record);
        if (status === ESME_ROK && record.registeredDelivery & 0x01) this.sendReceipt(session, record);
      });
    if (this.responseDelayMs > 0) setTimeout(answer, this.responseDelayMs);
    else answer();
  }

  private sendReceipt(session: Session, record: RecordedSubmit): void {
    const ok = !record.destinationAddr.endsWith('99');
    const date = receiptDate(new Date());
    const text =
      `id:${record.decimalId} sub:001 dlvrd:${ok ? '001' : '000'} submit date:${date} done date:${date} ` +
      `stat:${ok ? 'DELIVRD' : 'UNDELIV'} err:${ok ? '000' : '001'} text:`;
    const tlvs = !this.receiptTlvs ? {} : { receipted_message_id: record.messageId, message_state: ok ? 2 : 5 };
    session.deliver_sm({
      source_addr_ton: record.destinationTon,
      source_addr_npi: 1,
      source_addr: record.destinationAddr,
      dest_addr_ton: record.sourceTon,
      destination_addr: record.sourceAddr,
      esm_class: 0x04,
      data_coding: 0,
      short_message: text,
      ...tlvs,
    });
  }
}

function recordOf(pdu: Pdu, status: number): RecordedSubmit {
  const userData = pdu.short_message as { udh?: Buffer[]; message: string | Buffer };
  const dataCoding = Number(pdu.data_coding);
  const text = typeof userData.message === 'string' ? userData.message : userData.message.toString('hex');
  const udhLength = (userData.udh ?? []).reduce((sum, element) => sum + element.length, 0);
  return {
    sourceAddr: String(pdu.source_addr),
    sourceTon: Number(pdu.source_addr_ton),
    destinationAddr: String(pdu.destination_addr),
    destinationTon: Number(pdu.dest_addr_ton),
    dataCoding,
    esmClass: Number(pdu.esm_class),
    registeredDelivery: Number(pdu.registered_delivery),
    ...(userData.udh ? { udh: Buffer.concat([Buffer.from([udhLength]), ...userData.udh]) } : {}),
    text,
    payloadOctets: dataCoding === 0x08 ? Buffer.byteLength(text, 'utf16le') : smpp.gsmCoder.encode(text, 0x00).length,
    status,
  };
}

function receiptDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
}
