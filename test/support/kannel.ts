// Real Kannel 1.4.5 for tests (docs/real-peers.md §1): bearerbox + smsbox from a temp dir, and a Node fake-SMSC client.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitUntil } from './wait-for';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';
const STATUS_PASSWORD = 'statuspw';

/** One MT line bearerbox wrote to the fake SMSC: `sender receiver type data` (smsc_fake.c line protocol). */
export interface FakeSmscLine {
  from: string;
  to: string;
  /** `text` (Kannel's internal UTF-8), `ucs-2` (url-encoded UTF-16BE), `data` (url-encoded octets) or `udh`. */
  type: string;
  /** The text: as sent for `text`, decoded for `ucs-2`. */
  text?: string;
  /** For `udh` lines (`udh <udh> <type> <data>`): the UDH, the payload's own type and its url-decoded octets. */
  udh?: Buffer;
  udhType?: string;
  data?: Buffer;
  raw: string;
}

/** The fake SMSC's TCP client, written in Node: records MT lines and injects MO lines (real-peers.md §1). */
export class FakeSmscClient extends EventEmitter<{ mt: [FakeSmscLine] }> {
  readonly received: FakeSmscLine[] = [];
  private buffered = '';

  constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {});
  }

  /** MO `text`: Kannel treats the bytes as its internal UTF-8. */
  sendText(from: string, to: string, text: string): void {
    this.write(`${from} ${to} text ${text}`);
  }

  /** MO `ucs2` (no hyphen on input): url-encoded UTF-16BE. */
  sendUcs2(from: string, to: string, text: string): void {
    this.write(`${from} ${to} ucs2 ${urlEncodeBytes(Buffer.from(text, 'utf16le').swap16())}`);
  }

  /** MO `udh-text`: url-encoded UDH, then the text part. */
  sendUdhText(from: string, to: string, udh: Buffer, text: string): void {
    this.write(`${from} ${to} udh-text ${urlEncodeBytes(udh)} ${text}`);
  }

  close(): void {
    this.socket.destroy();
  }

  private write(line: string): void {
    this.socket.write(`${line}\n`);
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    for (let end = this.buffered.indexOf('\n'); end >= 0; end = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, end).replace(/\r$/, '');
      this.buffered = this.buffered.slice(end + 1);
      const parsed = parseFakeSmscLine(line);
      this.received.push(parsed);
      this.emit('mt', parsed);
    }
  }
}

function parseFakeSmscLine(raw: string): FakeSmscLine {
  const [from = '', to = '', type = '', ...rest] = raw.split(' ');
  const data = rest.join(' ');
  if (type === 'text') return { from, to, type, text: data, raw };
  if (type === 'ucs-2') return { from, to, type, text: urlDecodeBytes(data).swap16().toString('utf16le'), raw };
  if (type === 'udh') return { from, to, type, udh: urlDecodeBytes(rest[0] ?? ''), udhType: rest[1] ?? '', data: urlDecodeBytes(rest.slice(2).join(' ')), raw };
  return { from, to, type, data: urlDecodeBytes(data), raw };
}

function urlEncodeBytes(bytes: Buffer): string {
  return [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** Percent-decoding to octets (not UTF-8 text): `%E2`, `+` = space. */
function urlDecodeBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 2;
    } else if (char === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(char ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

export interface KannelOptions {
  /** Where smsbox POSTs MO (sms-service post-url). */
  moPostUrl: string;
  /** sendsms-user max-messages; 1 (Kannel's default) silently truncates long texts to one SMS. */
  maxMessages?: number;
}

export interface RunningKannel {
  sendsmsUrl: string;
  username: string;
  password: string;
  fakeSmsc: FakeSmscClient;
  /** Temp dir with kannel.conf and the boxes' logs (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}

interface KannelPorts {
  admin: number;
  smsbox: number;
  fakeSmsc: number;
  sendsms: number;
}

/** kannel.conf for one bearerbox + smsbox + fake SMSC, all on 127.0.0.1. */
function kannelConf(dir: string, ports: KannelPorts, options: KannelOptions): string {
  return `group = core
admin-port = ${ports.admin}
admin-interface = 127.0.0.1
admin-password = adminpw
status-password = ${STATUS_PASSWORD}
admin-allow-ip = "127.0.0.1"
smsbox-port = ${ports.smsbox}
smsbox-interface = 127.0.0.1
box-deny-ip = "*.*.*.*"
box-allow-ip = "127.0.0.1"
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 0
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = FAKE
port = ${ports.fakeSmsc}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${ports.smsbox}
sendsms-port = ${ports.sendsms}
sendsms-interface = 127.0.0.1
log-file = "${join(dir, 'smsbox.log')}"
log-level = 0

# max-messages > 1 and concatenation = true, or smsbox silently truncates long MT to one SMS (still HTTP 202).
group = sendsms-user
username = gw
password = gwpw
max-messages = ${options.maxMessages ?? 10}
concatenation = true

# MO -> the gateway; no SMS reply from the HTTP answer (max-messages = 0); X-Kannel-From needs send-sender.
group = sms-service
keyword = default
catch-all = true
max-messages = 0
send-sender = true
post-url = "${options.moPostUrl}"
`;
}

async function statusText(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/status.txt?password=${STATUS_PASSWORD}`);
    return await response.text();
  } catch {
    return '';
  }
}

function spawnBox(binary: string, conf: string): ChildProcess {
  const child = spawn(binary, ['-v', '4', conf], { stdio: 'ignore' });
  child.on('error', () => {});
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function connectFakeSmsc(port: number): Promise<Socket> {
  let socket: Socket | undefined;
  await waitUntil(async () => {
    socket = await new Promise<Socket | undefined>((resolve) => {
      const attempt = connect(port, '127.0.0.1', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    return socket !== undefined;
  }, 10_000);
  return socket as Socket;
}

/**
 * Start bearerbox, wait for its admin port, start smsbox, connect the fake SMSC, and wait until status.txt
 * shows the SMSC online and the smsbox connected. Stop: SIGTERM bearerbox (it shuts smsbox down); never
 * SIGKILL bearerbox while smsbox runs (smsbox would re-exec itself under a new PID).
 */
export async function startKannel(options: KannelOptions): Promise<RunningKannel> {
  const dir = mkdtempSync(join(tmpdir(), 'sspgw-kannel-'));
  const ports = { admin: await freePort(), smsbox: await freePort(), fakeSmsc: await freePort(), sendsms: await freePort() };
  const conf = join(dir, 'kannel.conf');
  writeFileSync(conf, kannelConf(dir, ports, options));
  const bearerbox = spawnBox(BEARERBOX, conf);
  let smsbox: ChildProcess | undefined;
  let fakeSmsc: FakeSmscClient | undefined;
  const stop = async () => {
    fakeSmsc?.close();
    bearerbox.kill('SIGTERM');
    const bothGone = Promise.all([exited(bearerbox), smsbox ? exited(smsbox) : Promise.resolve()]);
    const late = setTimeout(() => {
      smsbox?.kill('SIGTERM');
      setTimeout(() => bearerbox.kill('SIGKILL'), 1_000).unref();
    }, 8_000);
    await bothGone;
    clearTimeout(late);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await statusText(ports.admin)) !== '', 10_000);
    smsbox = spawnBox(SMSBOX, conf);
    fakeSmsc = new FakeSmscClient(await connectFakeSmsc(ports.fakeSmsc));
    await waitUntil(async () => {
      const status = await statusText(ports.admin);
      return status.includes(`FAKE:${ports.fakeSmsc} (online`) && /smsbox:\(none\), IP 127\.0\.0\.1/.test(status);
    }, 10_000);
    await waitUntil(() => fetch(`http://127.0.0.1:${ports.sendsms}/`).then(() => true, () => false), 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { sendsmsUrl: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`, username: 'gw', password: 'gwpw', fakeSmsc, dir, stop };
}
