/**
 * SSE (and other HTTP) subscriptions in the live registry (live-connections.ts): each one takes a slot
 * of its account's LIMIT_SUBSCRIPTIONS (HTTP 429 with a JSON body over it), and ends when its token is
 * revoked or its account deleted. graphql-ws subscriptions are handled by the WebSocket layer.
 *
 * Yoga streams a subscription by pulling its async iterable; to end it from outside, the iterable is
 * wrapped so that a pending `next` can be answered at once: with one last result saying why, then
 * done, which makes Yoga write `event: complete` and close the response. The source is returned at the
 * same time, which unsubscribes it from the pub/sub.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { processRegularResult, type Plugin } from 'graphql-yoga';
import { quotaExceeded, type LiveRegistry } from './live-connections.ts';

type HttpContext = { socket?: unknown; request?: Request; viewer?: { accountId: string; tokenId: string } | null };

export function useLiveStreams(live: LiveRegistry): Plugin {
  // Requests refused here are answered as plain JSON (status 429), not as an event stream.
  const refused = new WeakSet<Request>();
  return {
    onSubscribe({ args }) {
      const { socket, request, viewer } = args.contextValue as HttpContext;
      if (socket || !request || !viewer) return; // graphql-ws; or refused by the auth gate anyway
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) return;
          const source = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
          const stream = endableStream(source);
          const connection = live.open(viewer, 'stream', stream.end);
          const refusal = connection.ended ? null : connection.acquire('sse');
          if (refusal) {
            connection.close();
            void source.return?.();
            refused.add(request);
            setResult({ errors: [quotaExceeded(refusal, 429)] });
            return;
          }
          stream.onFinish(() => connection.close());
          setResult(stream.iterable);
        },
      };
    },
    onResultProcess({ request, setResultProcessor }) {
      if (refused.has(request)) setResultProcessor(processRegularResult, 'application/json');
    },
  };
}

type Pending = { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void };

/**
 * `source` as an iterable that `end(reason)` finishes at once: a pending `next` gets an error result
 * with the reason, the following one `done`. `onFinish` runs once, however it finishes.
 */
export function endableStream(source: AsyncIterator<ExecutionResult>) {
  let state: 'open' | 'ending' | 'done' = 'open';
  let last: ExecutionResult | undefined;
  let pending: Pending | undefined;
  let finished: (() => void) | undefined;
  const finish = () => {
    state = 'done';
    const callback = finished;
    finished = undefined;
    callback?.();
  };
  const iterable: AsyncIterableIterator<ExecutionResult> = {
    next() {
      if (state === 'ending') {
        state = 'done';
        return Promise.resolve({ done: false, value: last! });
      }
      if (state === 'done') return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => {
        const waiter: Pending = { resolve, reject };
        pending = waiter;
        source.next().then(
          (result) => {
            if (pending !== waiter) return; // ended meanwhile: that answer was already given
            pending = undefined;
            if (result.done) finish();
            resolve(result);
          },
          (error: unknown) => {
            if (pending !== waiter) return;
            pending = undefined;
            finish();
            reject(error);
          },
        );
      });
    },
    async return() {
      const wasOpen = state === 'open';
      finish();
      if (wasOpen) await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterable;
    },
  };
  return {
    iterable,
    onFinish(callback: () => void) {
      if (state === 'open') finished = callback;
      else callback();
    },
    end(reason: string) {
      if (state !== 'open') return;
      last = { errors: [new GraphQLError(reason, { extensions: { code: 'UNAUTHENTICATED' } })] };
      const waiter = pending;
      pending = undefined;
      const callback = finished;
      finished = undefined;
      if (waiter) {
        state = 'done';
        waiter.resolve({ done: false, value: last });
      } else {
        state = 'ending';
      }
      callback?.();
      void Promise.resolve(source.return?.()).catch(() => undefined);
    },
  };
}
