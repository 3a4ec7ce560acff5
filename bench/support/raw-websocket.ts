/**
 * A minimal WebSocket client on a raw TCP socket (Bun.connect) for load generators, connecting to a loopback server
 * from several loopback addresses (LOOPBACK_SOURCES below). Per message it
 * costs about what Bun's WebSocket class does (closed loop towards an echo, 2,000 of them on one core: ~4 µs of user
 * and ~10 µs of system CPU per round trip either way; the system part is the kernel's loopback TCP for one sendto
 * and one recvfrom, which no client avoids). It speaks just what OCPP-J needs: the upgrade (its status read, the accept key not checked), text frames both ways
 * (ours masked with a zero key, as the protocol allows a client, each built in one shared scratch buffer and
 * written in one call; theirs reassembled from TCP reads of any size and from continuation frames), pings
 * answered, and the closing handshake: `close(code)` sends a masked close frame and ends the socket once the
 * server's close frame or end arrives (2 s at most); a close frame from the server is answered with its code and
 * reported with its code and reason, an end without one as 1006. Bytes the kernel does not take at once wait for
 * the socket's drain, in order.
 */
import type { Socket } from 'bun';

export interface RawHandlers {
  open(): void;
  message(text: string): void;
  /**
   * Once, when the connection is over. `status`: the HTTP status of a refused upgrade (undefined once upgraded or
   * when the connection failed); `code` and `reason`: of the server's close frame, 1006 and '' without one.
   */
  close(info: { status?: number; upgraded: boolean; code: number; reason: string }): void;
}

/**
 * Towards a loopback server, connections come from 127.0.0.1–.4 in turn (Bun.connect takes `localAddress`, untyped,
 * as node:net's connect does): past ~14,000 connections from one address to one server the kernel's search for a
 * free source port makes every connect() walk the ports in use (19,500 stations took 47–65 s of a generator's CPU
 * to connect from one address, 2.1–2.7 s from four). Four keep 20,000 stations, the open-file limit here, at 5,000
 * per address at most, as storm-client.c does.
 */
const LOOPBACK_SOURCES = 4;
let connects = 0;
const loopbackSource = (host: string) => (host.startsWith('127.') ? `127.0.0.${1 + (connects++ % LOOPBACK_SOURCES)}` : undefined);

/** How long `close()` waits for the server's side of the closing handshake before it ends the socket. */
const CLOSE_WAIT_MS = 2_000;
/** Header room in front of a payload in the scratch buffer: 2 + 8 bytes of length + 4 of (zero) mask. */
const ROOM = 14;
let scratch = Buffer.allocUnsafe(64 * 1024);
const EMPTY = Buffer.alloc(0);

export class RawWebSocket {
  private socket?: Socket<undefined>;
  private buffer: Buffer = EMPTY;
  /** Bytes the kernel has not taken yet (written on drain), undefined when none. */
  private unsent?: Buffer;
  private fragments?: Buffer[];
  private upgraded = false;
  private closing = false;
  private closed = false;
  private closeTimer?: Timer;

  constructor(host: string, port: number, path: string, headers: Record<string, string>, private readonly on: RawHandlers) {
    const localAddress = loopbackSource(host);
    const request =
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
      '\r\n';
    void Bun.connect({
      hostname: host,
      port,
      ...(localAddress ? { localAddress } : {}),
      socket: {
        open: (socket) => {
          this.socket = socket;
          socket.setNoDelay(true);
          // Closed while connecting (e.g. a connect timeout): nothing to say.
          if (this.closing) return void socket.end();
          this.write(Buffer.from(request, 'latin1'));
        },
        data: (_socket, data) => void this.receive(data),
        drain: () => this.drain(),
        close: () => this.end(),
        error: () => this.end(),
        connectError: () => this.end(),
      },
    }).catch(() => this.end());
  }

  /** True once the connection is over (the `close` handler has run). */
  get isClosed() {
    return this.closed;
  }

  send(text: string) {
    if (this.closing || !this.upgraded) return;
    this.frame(0x1, text);
  }

  /** The closing handshake with `code` once upgraded; before that, the connection just ends. */
  close(code = 1000) {
    if (this.closing || this.closed) return;
    this.closing = true;
    if (!this.upgraded) return void this.socket?.end();
    this.frame(0x8, undefined, code);
    this.closeTimer = setTimeout(() => this.socket?.end(), CLOSE_WAIT_MS);
  }

  /** One masked (zero key) frame: `text` as its payload, or a close `code`, written at once. */
  private frame(opcode: number, text?: string, code?: number, raw?: Buffer) {
    const most = text !== undefined ? text.length * 3 : raw ? raw.length : 2;
    if (ROOM + most > scratch.length) scratch = Buffer.allocUnsafe(2 * (ROOM + most));
    let length: number;
    if (text !== undefined) length = scratch.write(text, ROOM, 'utf8');
    else if (raw) length = raw.copy(scratch, ROOM);
    else length = scratch.writeUInt16BE(code!, ROOM) - ROOM;
    let start: number;
    if (length < 126) {
      start = ROOM - 6;
      scratch[start + 1] = 0x80 | length;
    } else if (length < 0x10000) {
      start = ROOM - 8;
      scratch[start + 1] = 0x80 | 126;
      scratch.writeUInt16BE(length, start + 2);
    } else {
      start = 0;
      scratch[1] = 0x80 | 127;
      scratch.writeBigUInt64BE(BigInt(length), 2);
    }
    scratch[start] = 0x80 | opcode;
    scratch.writeUInt32BE(0, ROOM - 4);
    this.write(scratch.subarray(start, ROOM + length));
  }

  /** Writes `bytes` after anything still unsent; what the kernel does not take is copied to wait for the drain. */
  private write(bytes: Buffer) {
    if (!this.socket || this.closed) return;
    if (this.unsent) {
      this.unsent = Buffer.concat([this.unsent, bytes]);
      return;
    }
    const written = this.socket.write(bytes);
    if (written < bytes.length) this.unsent = Buffer.from(bytes.subarray(Math.max(0, written)));
  }

  private drain() {
    const unsent = this.unsent;
    if (!unsent || !this.socket) return;
    this.unsent = undefined;
    this.write(unsent);
  }

  private receive(data: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(this.buffer.toString('latin1', 9, 12));
      if (status !== 101) {
        this.end(status);
        return this.socket?.end();
      }
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
      if (this.closing) return void this.socket?.end();
      this.on.open();
    }
    this.frames();
  }

  /** Unmasked frames from the server, as many as the buffer holds whole (read in place; the rest kept). */
  private frames() {
    const buffer = this.buffer;
    let at = 0;
    while (buffer.length - at >= 2 && !this.closed) {
      const fin = (buffer[at]! & 0x80) !== 0;
      const opcode = buffer[at]! & 0x0f;
      let length = buffer[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (buffer.length - at < 4) break;
        length = buffer.readUInt16BE(at + 2);
        start = at + 4;
      } else if (length === 127) {
        if (buffer.length - at < 10) break;
        length = Number(buffer.readBigUInt64BE(at + 2));
        start = at + 10;
      }
      const end = start + length;
      if (buffer.length < end) break;
      at = end;
      if (opcode === 0x1 && fin) this.on.message(buffer.toString('utf8', start, end));
      else if (opcode === 0x1) this.fragments = [Buffer.from(buffer.subarray(start, end))];
      else if (opcode === 0x0 && this.fragments) {
        this.fragments.push(Buffer.from(buffer.subarray(start, end)));
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          this.fragments = undefined;
          this.on.message(whole.toString());
        }
      } else if (opcode === 0x9) this.frame(0xa, undefined, undefined, buffer.subarray(start, end));
      else if (opcode === 0x8) {
        this.buffer = EMPTY;
        return this.closedByServer(buffer.subarray(start, end));
      }
    }
    this.buffer = at === buffer.length ? EMPTY : at === 0 ? buffer : buffer.subarray(at);
  }

  /** The server's close frame: answered with its code (unless we started the handshake), then the socket ends. */
  private closedByServer(payload: Buffer) {
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    const reason = payload.length > 2 ? payload.toString('utf8', 2) : '';
    if (!this.closing) {
      this.closing = true;
      if (payload.length >= 2) this.frame(0x8, undefined, code);
      else this.frame(0x8, undefined, undefined, Buffer.alloc(0));
    }
    this.end(undefined, code, reason);
    this.socket?.end();
  }

  private end(status?: number, code = 1006, reason = '') {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.closeTimer);
    this.on.close({ ...(status !== undefined ? { status } : {}), upgraded: this.upgraded, code, reason });
  }
}
