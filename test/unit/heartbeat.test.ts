import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createHeartbeat, type Heartbeat } from '../../src/platform/heartbeat.ts';

const INTERVAL_MS = 240;
let server: Server;
let heartbeat: Heartbeat;
let url: string;

before(async () => {
  server = createServer();
  heartbeat = createHeartbeat(INTERVAL_MS);
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => heartbeat.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  heartbeat.stop();
  server.closeAllConnections();
  server.close();
});

/** A client socket, answering pings or not, and when (if) the server dropped it. */
function client(answersPings: boolean) {
  const socket = new WebSocket(url, { autoPong: answersPings });
  const opened = new Promise<number>((resolve) => socket.once('open', () => resolve(performance.now())));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  let pings = 0;
  socket.on('ping', () => pings++);
  return { socket, opened, closed, get pings() { return pings; } };
}

describe('heartbeat', () => {
  test('a peer that does not answer pings is terminated within two intervals; one that answers stays', async () => {
    const silent = client(false);
    const answering = client(true);
    const openedAt = await silent.opened;
    await answering.opened;
    const closedAt = await silent.closed;
    assert.ok(closedAt - openedAt <= 2 * INTERVAL_MS + 150, `terminated after ${Math.round(closedAt - openedAt)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    assert.equal(answering.socket.readyState, WebSocket.OPEN);
    assert.ok(answering.pings >= 2, `pinged ${answering.pings} times`);
    answering.socket.close();
  });
});
