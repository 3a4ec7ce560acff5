/**
 * A minimal WebSocket client on a raw TCP socket (Bun.connect) for load generators: tens of thousands of them cost
 * a fraction of the CPU of Bun's WebSocket class, so the generator is not the bottleneck of what it measures. It
 * speaks just what OCPP-J needs: the upgrade (its status read, the accept key not checked), small text frames
 * both ways (ours masked with a zero key, as the protocol allows a client), pings answered, a close reported.
 */
import type { Socket } from 'bun';

export interface RawHandlers {
  open(): void;
  message(text: string): void;
  /** `status`: the HTTP status of a refused upgrade; undefined once upgraded or when the connection failed. */
  close(info: { status?: number; upgraded: boolean }): void;
}

export class RawWebSocket {
  private socket?: Socket<undefined>;
  private buffer: Buffer = Buffer.alloc(0);
  private upgraded = false;
  private closed = false;

  constructor(host: string, port: number, path: string, headers: Record<string, string>, private readonly on: RawHandlers) {
    const request =
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
      '\r\n';
    void Bun.connect({
      hostname: host,
      port,
      socket: {
        open: (socket) => {
          this.socket = socket;
          socket.write(request);
        },
        data: (_socket, data) => void this.receive(data),
        close: () => this.end(),
        error: () => this.end(),
        connectError: () => this.end(),
      },
    }).catch(() => this.end());
  }

  send(text: string) {
    const payload = Buffer.from(text);
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x81, 0x80 | length, 0, 0, 0, 0]) : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff, 0, 0, 0, 0]);
    this.socket?.write(Buffer.concat([header, payload]));
  }

  close() {
    this.socket?.end();
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
      this.on.open();
    }
    this.frames();
  }

  /** Unmasked frames from the server, as many as the buffer holds whole. */
  private frames() {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === 0x1) this.on.message(payload.toString());
      else if (opcode === 0x9) this.socket?.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
      else if (opcode === 0x8) this.socket?.end();
    }
  }

  private end(status?: number) {
    if (this.closed) return;
    this.closed = true;
    this.on.close({ ...(status !== undefined ? { status } : {}), upgraded: this.upgraded });
  }
}
