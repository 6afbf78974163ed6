/**
 * graphql-ws on a `ws` WebSocketServer — what `graphql-ws/use/ws` does, plus coalesced writes.
 *
 * `use/ws` awaits every message's socket write before the next, so a burst of 10,000 expiries to a
 * client costs 10,000 `writev` system calls (a fifth of a busy process's time, and as many wake-ups
 * of the client). Here a message is accepted into a per-socket queue at once, and the queue is
 * framed into one buffer and written at the end of the current turn of the event loop: one system
 * call for all the messages a turn produced. Backpressure is kept: once the socket holds more than
 * HIGH_WATER_BYTES unsent, `send` waits until the queue has been written.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { makeServer, handleProtocols, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from './logger.ts';
import { CloseCode } from './close-codes.ts';
import { createHeartbeat } from './heartbeat.ts';
import type { Metrics } from './metrics.ts';

const HIGH_WATER_BYTES = 1024 * 1024;
/**
 * The most a socket may hold unsent for shared subscription messages (`offer`). Those are written for
 * many sockets at once and cannot wait for one: past this, the subscriber is told it lagged.
 */
const SEND_QUEUE_LIMIT_BYTES = 256 * 1024;

export type GraphqlWsExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  /** Queues a message without waiting; false (nothing queued) when the send queue is full. */
  offer: Offer;
};

/** Queues the message `head` + `body` (UTF-8 JSON) for a socket; false (nothing queued) when its send queue is full. */
export type Offer = (head: Buffer, body: Buffer) => boolean;

export type GraphqlWsServer = {
  /** Closes every socket with 1001 Going Away and stops accepting new ones. */
  dispose(): Promise<void>;
  /** Closes every open socket with `code` (clients reconnect); new ones are still accepted. */
  closeAll(code: number, reason: string): void;
};

export type GraphqlWsOptions = {
  server: Server;
  path: string;
  maxPayload: number;
  log: Logger;
  /** Ping interval; a socket that has not answered a ping by the next one is terminated. */
  keepAliveMs?: number;
  metrics?: Metrics;
  /** The send queue's limit in bytes, asked at each offer (default SEND_QUEUE_LIMIT_BYTES); tests lower it to make a subscriber lag. */
  sendQueueLimitBytes?: () => number;
};

export function useGraphqlWs<P extends Record<string, unknown>, E extends Record<PropertyKey, unknown>>(
  serverOptions: ServerOptions<P, GraphqlWsExtra & E>,
  options: GraphqlWsOptions,
): GraphqlWsServer {
  const { log } = options;
  const heartbeat = createHeartbeat(options.keepAliveMs ?? 12_000);
  const protocol = makeServer(serverOptions);
  // No permessage-deflate: compressing each subscriber's copy would cost far more than the bytes it
  // saves, and coalescingSender writes frames as they are.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, handleProtocols, perMessageDeflate: false });

  const onUpgrade = (request: IncomingMessage, raw: Duplex, head: Buffer) => {
    const pathname = (request.url ?? '').split('?', 1)[0];
    if (pathname !== options.path) {
      raw.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, raw, head, (socket) => accept(socket, request, raw));
  };
  options.server.on('upgrade', onUpgrade);

  const accept = (socket: WebSocket, request: IncomingMessage, raw: Duplex) => {
    const { send, offer } = coalescingSender(socket, raw, options.sendQueueLimitBytes ?? (() => SEND_QUEUE_LIMIT_BYTES));
    const closeGauge = options.metrics?.socketOpened();
    socket.once('error', (error) => {
      log.warn({ err: error }, 'WebSocket error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });

    heartbeat.add(socket);

    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              log.error({ err: error }, 'graphql-ws message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request, offer } as GraphqlWsExtra & E,
    );
    socket.once('close', (code, reason) => {
      closeGauge?.();
      closed(code, String(reason));
    });
  };

  return {
    closeAll(code, reason) {
      for (const client of wss.clients) client.close(code, reason);
    },
    async dispose() {
      options.server.off('upgrade', onUpgrade);
      heartbeat.stop();
      for (const client of wss.clients) client.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * A `send` for graphql-ws that queues messages and writes each turn's queue with one system call.
 * It resolves at once while the socket holds less than HIGH_WATER_BYTES, otherwise once written.
 * `offer` queues on the same queue (so the order of messages is kept) but never waits: it refuses
 * once `limit()` bytes (SEND_QUEUE_LIMIT_BYTES) are unsent.
 *
 * The queue is framed here (unmasked text frames, RFC 6455 §5.2) into one buffer and written to the
 * TCP socket directly: through `ws` each message would cost two chunks, a cork and a `writev` of its
 * own bookkeeping, which in a fan-out to ten thousand sockets is most of the JavaScript time. This is
 * safe because the server negotiates no extension (no permessage-deflate: frames are sent as they
 * are) and `ws` writes each of its own frames (ping, pong, close) whole and synchronously, so frames
 * never interleave.
 */
function coalescingSender(socket: WebSocket, raw: Duplex, limit: () => number): { send: (data: string) => Promise<void> | undefined; offer: Offer } {
  /** Per message: its parts, which together are the frame's payload. */
  let queue: (string | Buffer)[][] = [];
  let queuedBytes = 0;
  let waiters: (() => void)[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const messages = queue;
    const written = waiters;
    queue = [];
    queuedBytes = 0;
    waiters = [];
    const release = () => written.forEach((resolve) => resolve());
    if (socket.readyState !== socket.OPEN || !raw.writable) return release();
    raw.write(textFrames(messages), release);
  };

  const enqueue = (parts: (string | Buffer)[], bytes: number) => {
    queue.push(parts);
    queuedBytes += bytes;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  return {
    send(data) {
      if (socket.readyState !== socket.OPEN) return undefined;
      enqueue([data], data.length);
      if (socket.bufferedAmount + queuedBytes < HIGH_WATER_BYTES) return undefined;
      return new Promise((resolve) => waiters.push(resolve));
    },
    offer(head, body) {
      if (socket.readyState !== socket.OPEN) return true; // closing: the close ends its subscriptions
      const bytes = head.length + body.length;
      if (socket.bufferedAmount + queuedBytes + bytes > limit()) return false;
      enqueue([head, body], bytes);
      return true;
    },
  };
}

/** Text frames (FIN, opcode 1, not masked: server to client) for each message, in one buffer; each message is its parts joined. */
export function textFrames(messages: (string | Buffer)[][]): Buffer {
  // Plain loops: in a fan-out this runs once per socket, and closures here showed in profiles.
  let total = 0;
  for (const parts of messages) {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (typeof part === 'string') parts[i] = Buffer.from(part);
    }
    const length = payloadLength(parts as Buffer[]);
    total += length + (length < 126 ? 2 : length < 65_536 ? 4 : 10);
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const parts of messages as Buffer[][]) {
    const length = payloadLength(parts);
    out[at++] = 0x81;
    if (length < 126) {
      out[at++] = length;
    } else if (length < 65_536) {
      out[at++] = 126;
      out[at++] = length >>> 8;
      out[at++] = length & 0xff;
    } else {
      out[at++] = 127;
      at = out.writeBigUInt64BE(BigInt(length), at);
    }
    for (const part of parts) {
      out.set(part, at); // a plain memcpy; Buffer#copy has a slower path for small buffers
      at += part.length;
    }
  }
  return out;
}

function payloadLength(parts: Buffer[]): number {
  let length = 0;
  for (const part of parts) length += part.length;
  return length;
}
