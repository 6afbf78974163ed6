// A child process of `bench subscribers`: opens its share of the WebSockets (graphql-transport-ws by
// hand, lighter than a full client per socket), subscribes each, and records when each socket
// receives each reminderExpired. Several of these run at once so that the client side is not the
// bottleneck; each reports its own CPU use to show it. The sockets are LeanSockets (lean-ws.ts), or
// `ws` clients with BENCH_WS_CLIENT=ws.
import WebSocket from 'ws';
import { LeanSocket, type LeanSocketEvents } from './lean-ws.ts';

type ClientSocket = { send(text: string): void; terminate(): void };

/** A socket of the chosen client library, reporting to `events`. */
function connect(url: string, events: LeanSocketEvents): ClientSocket {
  if (process.env.BENCH_WS_CLIENT !== 'ws') return new LeanSocket(url, 'graphql-transport-ws', events);
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.once('open', () => events.open());
  socket.on('message', (data) => events.message(String(data)));
  socket.once('error', () => undefined); // 'close' follows
  socket.once('close', (code) => events.close(code));
  return socket;
}

type Start = { type: 'start'; url: string; tokens: string[]; socketsPerToken: number; concurrency: number; query: string };
type Command = Start | { type: 'reset' } | { type: 'report'; dueAt: number; ids: string[]; texts?: boolean } | { type: 'close' };

const sockets: ClientSocket[] = [];
/** Per socket: the first time it received each reminder id. */
let received: Map<string, number>[] = [];
/** The first message text received about each reminder id: the bare-ws floor writes the same bytes. */
const texts = new Map<string, string>();
/** CPU and wall clock at the first message received after a reset: the delivery's start here. */
let deliveryMark: { cpu: NodeJS.CpuUsage; wall: number } | undefined;

const send = (message: unknown) => process.send!(message);

async function start(command: Start) {
  const plan = command.tokens.flatMap((token) => Array.from({ length: command.socketsPerToken }, () => token));
  received = plan.map(() => new Map());
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const connectMs: number[] = [];
  let next = 0;
  let failed = 0;
  const closeCodes: Record<number, number> = {};
  const open = (index: number, token: string) => new Promise<void>((resolve) => {
    const opened = performance.now();
    let acknowledged = false;
    const done = () => resolve();
    const socket = connect(command.url, {
      open: () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
      message: (data) => {
        const message = JSON.parse(data) as { type: string; payload?: any };
        if (message.type === 'connection_ack') {
          acknowledged = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: command.query } }));
          connectMs.push(performance.now() - opened);
          done();
        } else if (message.type === 'next') {
          const id = message.payload?.data?.reminderExpired?.reminder?.id as string | undefined;
          if (id && !received[index]!.has(id)) received[index]!.set(id, Date.now());
          if (id && !texts.has(id)) texts.set(id, data);
          deliveryMark ??= { cpu: process.cpuUsage(), wall: performance.now() };
        } else if (message.type === 'ping') {
          socket.send('{"type":"pong"}');
        } else if (message.type === 'error') {
          send({ type: 'error', error: JSON.stringify(message.payload) });
        }
      },
      close: (code) => {
        // Closed before the ack (e.g. 4401 bad token, 4408 connection_init not handled in time): a failed connect.
        if (!acknowledged) {
          failed++;
          closeCodes[code] = (closeCodes[code] ?? 0) + 1;
        }
        done();
      },
    });
    sockets[index] = socket;
  });
  await Promise.all(Array.from({ length: command.concurrency }, async () => {
    while (next < plan.length) {
      const index = next++;
      await open(index, plan[index]!);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  send({ type: 'connected', seconds, connectMs, failed, closeCodes, sockets: plan.length, cpuPercent: cpuPercent(process.cpuUsage(cpuAtStart), seconds * 1000) });
}

/** CPU time used over wall time, in percent of one core (100 = this process was the bottleneck). */
function cpuPercent(used: NodeJS.CpuUsage, wallMs: number): number {
  return Math.round(((used.user + used.system) / 1000 / wallMs) * 100);
}

process.on('message', (command: Command) => {
  if (command.type === 'start') void start(command);
  else if (command.type === 'reset') {
    for (const map of received) map.clear();
    texts.clear();
    deliveryMark = undefined;
    send({ type: 'reset' });
  } else if (command.type === 'report') {
    // Each socket's lateness for the reminder of its account: the one id among `ids` it received.
    const wanted = new Set(command.ids);
    const lateness: number[] = [];
    let missing = 0;
    let foreign = 0;
    for (const map of received) {
      const hits = [...map].filter(([id]) => wanted.has(id));
      if (hits.length === 0) missing++;
      else lateness.push(hits[0]![1] - command.dueAt);
      foreign += Math.max(0, hits.length - 1);
    }
    // From the first receipt to now (the bench asks every 250 ms, so the last report ends soon after the last receipt).
    const cpu = deliveryMark ? cpuPercent(process.cpuUsage(deliveryMark.cpu), performance.now() - deliveryMark.wall) : 0;
    const sample = command.texts ? Object.fromEntries(command.ids.flatMap((id) => (texts.has(id) ? [[id, texts.get(id)!]] : []))) : undefined;
    send({ type: 'report', lateness, missing, foreign, cpuPercent: cpu, texts: sample });
  } else if (command.type === 'close') {
    for (const socket of sockets) socket?.terminate();
    process.exit(0);
  }
});
send({ type: 'ready' });
