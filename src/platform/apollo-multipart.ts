/**
 * Apollo Client's HttpLink sends a subscription over plain HTTP with
 * `Accept: multipart/mixed;subscriptionSpec=1.0, application/json` and reads Apollo's multipart
 * subscription protocol: parts under the boundary "graphql", each one JSON object, `{"payload": result}`
 * for a result, `{}` as a heartbeat, `{"payload": null, "errors": [...]}` for a transport error.
 * Yoga's own multipart answer (for @defer) puts results bare, and for subscriptions it offers only
 * SSE, so such a request got 406 with an empty body. The protocol is this small, so it is written here
 * rather than adding Apollo Server; everything else (SSE, graphql-ws) is unchanged.
 */
import type { Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';

const BOUNDARY = 'graphql';
/** Apollo's servers send a heartbeat every 5 s; proxies that cut idle responses see traffic. */
const HEARTBEAT_MS = 5000;

/** Whether the request asks for Apollo's multipart subscriptions (the `subscriptionSpec` parameter). */
export function wantsApolloMultipart(accept: string | null): boolean {
  return (accept ?? '').split(',').some((type) => /^\s*multipart\/mixed\s*;/i.test(type) && /subscriptionSpec\s*=/i.test(type));
}

export function useApolloMultipart(heartbeatMs = HEARTBEAT_MS): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!(Symbol.asyncIterator in Object(result)) || !wantsApolloMultipart(request.headers.get('accept'))) return;
      setResultProcessor((value, fetchAPI) => apolloMultipart(value as AsyncIterable<ExecutionResult>, fetchAPI, heartbeatMs), 'multipart/mixed');
    },
  };
}

function apolloMultipart(result: AsyncIterable<ExecutionResult>, fetchAPI: { Response: typeof Response; ReadableStream: typeof ReadableStream }, heartbeatMs: number): Response {
  const encoder = new TextEncoder();
  const iterator = result[Symbol.asyncIterator]();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const part = (body: unknown) => encoder.encode(`\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body)}\r\n--${BOUNDARY}`);
  const stream = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}`));
      heartbeat = setInterval(() => controller.enqueue(part({})), heartbeatMs);
      heartbeat.unref();
    },
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (!done) return controller.enqueue(part({ payload: withoutInternals(value) }));
      } catch (error) {
        // Unexpected: masked like any other (Yoga masked the GraphQL errors already).
        controller.enqueue(part({ payload: null, errors: [{ message: error instanceof Error && 'extensions' in error ? error.message : 'Unexpected error.' }] }));
      }
      clearInterval(heartbeat);
      controller.enqueue(encoder.encode('--\r\n'));
      controller.close();
    },
    async cancel() {
      clearInterval(heartbeat);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(stream, {
    status: 200,
    headers: { 'content-type': `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`, 'cache-control': 'no-cache' },
  });
}

function withoutInternals(result: ExecutionResult): ExecutionResult {
  return { ...(result.errors ? { errors: result.errors } : {}), data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) };
}
