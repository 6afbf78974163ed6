/**
 * An opt-in acknowledgement that a graphql-ws subscription is established. graphql-ws has none: a
 * client cannot tell when the server started listening, so a client that loads a snapshot (a list)
 * and subscribes to its changes could miss a change made between the two. A client that sends
 * `extensions: { subscribedAck: true }` with its subscribe message gets one `next` message whose
 * payload is `{ "extensions": { "subscribed": true } }` (no `data`) once the server is listening for
 * that operation's events: every change committed after the client received it is delivered.
 * The client then reads its snapshot, and applies what arrived meanwhile after it.
 *
 * It is sent on every subscription of the operation id, so again after a reconnection.
 */
import type { SubscribePayload } from 'graphql-ws';
import type { Offer } from './graphql-ws-server.ts';

const BODY = Buffer.from('{"extensions":{"subscribed":true}}}');

/** Whether the subscribe message asked for the acknowledgement. */
export function wantsSubscribedAck(payload: SubscribePayload): boolean {
  return payload.extensions?.subscribedAck === true;
}

/**
 * Called from graphql-ws's onOperation, once the operation's source stream exists (a live stream
 * subscribes to the pub/sub when it is created, streams.ts), and before its first event is sent:
 * `offer` writes to the same queue as every message of the socket, so the order is kept.
 */
export function acknowledgeSubscribed(id: string, payload: SubscribePayload, result: unknown, subscribed: boolean, offer: Offer): void {
  if (!subscribed || !wantsSubscribedAck(payload)) return;
  if (!result || typeof result !== 'object' || !(Symbol.asyncIterator in result)) return;
  offer(Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`), BODY);
}
