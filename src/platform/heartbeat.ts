/**
 * WebSocket keep-alive for many sockets on one timer. Each socket is pinged once per interval, and
 * one that has not answered the previous ping by then is terminated (so a dead peer goes within one
 * to two intervals). The sockets are spread over the interval in slices, a few each tick: ten
 * thousand sockets then cost one timer and a steady trickle of pings, instead of ten thousand
 * interval timers and a timeout plus a listener per ping, and never one burst of ten thousand writes.
 */
import type { WebSocket } from 'ws';

const TICKS_PER_INTERVAL = 24;

export type Heartbeat = {
  /** Watches a socket until it closes. */
  add(socket: WebSocket): void;
  stop(): void;
};

export function createHeartbeat(intervalMs: number): Heartbeat {
  const slices = Array.from({ length: TICKS_PER_INTERVAL }, () => new Map<WebSocket, { alive: boolean }>());
  let next = 0; // the slice the next socket joins
  let tick = 0; // the slice the timer visits next

  const timer = setInterval(() => {
    const slice = slices[tick]!;
    tick = (tick + 1) % TICKS_PER_INTERVAL;
    for (const [socket, state] of slice) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!state.alive) {
        socket.terminate();
        continue;
      }
      state.alive = false;
      socket.ping();
    }
  }, intervalMs / TICKS_PER_INTERVAL);
  timer.unref();

  return {
    add(socket) {
      const slice = slices[next]!;
      next = (next + 1) % TICKS_PER_INTERVAL;
      const state = { alive: true };
      slice.set(socket, state);
      socket.on('pong', () => (state.alive = true));
      socket.once('close', () => slice.delete(socket));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
