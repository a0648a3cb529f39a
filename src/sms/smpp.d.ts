// Types for node-smpp 0.5.1 (SMPP 3.4 client and server), limited to what the gateway and its tests use.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** A decoded PDU: header fields, mandatory parameters and TLVs by their SMPP 3.4 names. */
  export interface Pdu {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): Pdu;
    toBuffer(): Buffer;
  }

  export const PDU: {
    new (command: string, options?: Record<string, unknown>): Pdu;
    new (buffer: Buffer): Pdu;
  };

  export type PduCallback = (pdu: Pdu) => void;

  export class Session extends EventEmitter {
    socket: Socket;
    send(pdu: Pdu, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: PduCallback): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: PduCallback): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: PduCallback): boolean;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  /** node-smpp's own GSM 03.38 coder (unpacked septets); tests use it as an independent second implementation. */
  export const gsmCoder: {
    encode(text: string, shiftTable: number): Buffer;
    decode(septets: Buffer, shiftTable: number): string;
  };

  export function connect(options: { host: string; port: number }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
}
