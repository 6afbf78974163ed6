/**
 * A Yoga plugin that reports GraphQL operations to the metrics: duration and error codes of every
 * query and mutation, labelled by its first root field (a bounded set: the schema's), and the SSE
 * subscriptions open. graphql-ws subscriptions are counted by the WebSocket layer, which also knows
 * the ones that share one execution.
 */
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.ts';

function describe(document: DocumentNode, operationName: string | null | undefined): { type: string; field: string } {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { type: 'unknown', field: 'unknown' };
  const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return { type: operation.operation, field: first && first.kind === Kind.FIELD ? first.name.value : 'fragment' };
}

function errorCodes(result: ExecutionResult): string[] {
  return (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

export function useGraphqlMetrics(metrics: Metrics): Plugin {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const { type, field } = describe(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return; // incremental delivery: not used here
          metrics.operation(type, field, (performance.now() - started) / 1000, errorCodes(result));
        },
      };
    },
    onSubscribe({ args }) {
      // WebSocket subscriptions are counted where they are shared (graphql-ws-server.ts).
      if ((args.contextValue as { socket?: unknown }).socket) return;
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          const close = metrics.subscriptionOpened('sse');
          return { onEnd: close };
        },
      };
    },
  };
}
