// A bare WebSocket client for the subscriber bench: TCP, one fixed upgrade request, text frames in
// and out, pong on ping, close codes. Thousands of `ws` clients cost the bench machine about as much
// CPU as the server they measure (an http.ClientRequest, header checks and a receiver stream per
// socket); this one does only what the protocol needs, so that the figures are the server's.
// Not a general client: no TLS, no extensions, no fragmented messages (the server sends none), and
// it masks with a zero key (valid framing, and the server only requires the mask bit).
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export type LeanSocketEvents = {
  open(): void;
  message(text: string): void;
  /** The close code the server sent, or 1006 when the connection ended without one. */
  close(code: number): void;
};

export class LeanSocket {
  #socket: net.Socket;
  #events: LeanSocketEvents;
  #buffer: Buffer = Buffer.alloc(0);
  #upgraded = false;
  #closed = false;

  constructor(url: string, protocol: string, events: LeanSocketEvents) {
    const { hostname, port, pathname } = new URL(url);
    this.#events = events;
    this.#socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
    this.#socket.on('connect', () => {
      this.#socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);
    });
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('error', () => undefined); // 'close' follows
    this.#socket.on('close', () => this.#end(1006));
  }

  send(text: string): void {
    const payload = Buffer.from(text);
    this.#socket.write(frame(0x1, payload));
  }

  terminate(): void {
    this.#socket.destroy();
  }

  #end(code: number) {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#events.close(code);
  }

  #receive(chunk: Buffer) {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    if (!this.#upgraded) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!this.#buffer.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return this.#end(1006);
      this.#upgraded = true;
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#events.open();
    }
    while (this.#buffer.length >= 2 && !this.#closed) {
      const opcode = this.#buffer[0]! & 0x0f;
      let length = this.#buffer[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (this.#buffer.length < 4) return;
        length = this.#buffer.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (this.#buffer.length < 10) return;
        length = Number(this.#buffer.readBigUInt64BE(2));
        at = 10;
      }
      if (this.#buffer.length < at + length) return;
      const payload = this.#buffer.subarray(at, at + length);
      this.#buffer = this.#buffer.subarray(at + length);
      if (opcode === 0x1) this.#events.message(payload.toString());
      else if (opcode === 0x9) this.#socket.write(frame(0xa, payload));
      else if (opcode === 0x8) this.#end(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
    }
  }
}

/** A final, masked (zero key) client frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = Buffer.alloc(head + 4 + length); // zeroed: the 4-byte masking key is 0
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65_536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(out, head + 4);
  return out;
}
