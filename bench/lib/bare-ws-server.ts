// The floor for `bench subscribers`: a `ws` server that does only what a WebSocket subscriber needs of
// the transport — the upgrade, a fixed connection_ack to connection_init, pong to ping — and, on
// command, writes given texts to the sockets of given tokens (the same bytes Tickler sent them). No
// GraphQL, no authentication, no database. Runs as its own process so that its CPU can be read.
import { WebSocketServer, type WebSocket } from 'ws';

type Command = { type: 'fanout'; payloads: Record<string, string> } | { type: 'close' };

const byToken = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  backlog: 8192, // as Tickler's listen backlog (http-server.ts)
  perMessageDeflate: false,
  maxPayload: 1024 * 1024,
  handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
});

server.on('connection', (socket) => {
  let token: string | undefined;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { authorization?: string } };
    if (message.type === 'connection_init') {
      token = String(message.payload?.authorization ?? '').replace(/^Bearer /, '');
      let sockets = byToken.get(token);
      if (!sockets) byToken.set(token, (sockets = new Set()));
      sockets.add(socket);
      socket.send('{"type":"connection_ack"}');
    } else if (message.type === 'ping') socket.send('{"type":"pong"}');
  });
  socket.on('close', () => {
    if (token) byToken.get(token)?.delete(socket);
  });
});

server.on('listening', () => {
  const address = server.address();
  process.send!({ type: 'listening', port: address && typeof address === 'object' ? address.port : 0 });
});

process.on('message', (command: Command) => {
  if (command.type === 'fanout') {
    const at = Date.now();
    let sockets = 0;
    for (const [token, text] of Object.entries(command.payloads)) {
      for (const socket of byToken.get(token) ?? []) {
        socket.send(text);
        sockets++;
      }
    }
    process.send!({ type: 'fanned', at, sockets });
  } else if (command.type === 'close') {
    for (const sockets of byToken.values()) for (const socket of sockets) socket.terminate();
    server.close(() => process.exit(0));
  }
});
