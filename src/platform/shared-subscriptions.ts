/**
 * Shared subscription executions: every graphql-ws subscription of one account with the same
 * document and variables runs ONE execution in this process, and each of its results is serialised
 * once and written to every socket that shares it (as Hasura multiplexes). Ten thousand sockets over
 * a hundred accounts then cost a hundred executions per event, not ten thousand.
 *
 * Isolation is by construction: the account is part of the key, and a result only ever goes to the
 * members of its own key. Subscriptions that replay history (`after:` set) are never shared: each one
 * has its own starting point.
 *
 * Each socket has a bounded send queue (see `offer`): a member whose socket cannot keep up is ended
 * with a LAGGED error that carries the cursor to resume from, instead of slowing the others down or
 * growing memory without bound.
 */
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult, type ValueNode } from 'graphql';
import type { Offer } from './graphql-ws-server.ts';

export type { Offer };

type Member = {
  id: string;
  /** `{"id":…,"type":"next","payload":` for this member: the payload bytes are the same for all. */
  prefix: Buffer;
  offer: Offer;
  finish(error?: Error): void;
};

type Started = { results: AsyncIterable<ExecutionResult>; context: object } | { result: ExecutionResult };

type Group = {
  key: string;
  members: Set<Member>;
  started: Promise<Started>;
  iterator?: AsyncIterator<ExecutionResult>;
  context?: object;
};

export type SubscriptionHub = {
  /**
   * Adds a member to the key's execution, starting it with `start` when it is the first. Resolves to
   * what graphql-ws should treat as the operation's result: an iterable that ends when the member
   * leaves or lags (the member's messages bypass it), or the start's result when it did not subscribe.
   */
  join(key: string, id: string, offer: Offer, start: () => Promise<Started>): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** Executions running now. */
  readonly size: number;
};

export type HubOptions = { onLagged?: () => void; onError?: (error: unknown) => void };

const resumeCursors = new WeakMap<object, string>();

/**
 * Called by a subscription's resolver with the cursor that resumes just before the event it is
 * resolving: a member that lags on this event is told to resume from there.
 */
export function noteResumeCursor(context: object, cursor: string): void {
  resumeCursors.set(context, cursor);
}

/** Whether to share and under which key: null for anything but a live-only subscription. */
export function sharingKey(accountId: string, document: DocumentNode, query: string, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): string | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') return null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value === 'after' && !isNull(argument.value, variables)) return null;
    }
  }
  return JSON.stringify([accountId, operationName ?? null, query, variables ?? null]);
}

function isNull(value: ValueNode, variables: Record<string, unknown> | null | undefined): boolean {
  if (value.kind === Kind.NULL) return true;
  if (value.kind === Kind.VARIABLE) return variables?.[value.name.value] == null;
  return false;
}

export class LaggedError extends Error {
  override name = 'LaggedError';
  readonly extensions: { code: 'LAGGED'; cursor: string | null };
  constructor(cursor: string | null) {
    super(cursor
      ? 'The client did not keep up with this subscription; resubscribe with after: extensions.cursor to resume without a gap'
      : 'The client did not keep up with this subscription; resubscribe');
    this.extensions = { code: 'LAGGED', cursor };
  }
}

export function createSubscriptionHub(options: HubOptions = {}): SubscriptionHub {
  const groups = new Map<string, Group>();

  const leave = (group: Group, member: Member) => {
    if (!group.members.delete(member) || group.members.size > 0) return;
    if (groups.get(group.key) === group) groups.delete(group.key);
    void group.iterator?.return?.().catch(options.onError);
  };

  const pump = async (group: Group) => {
    const iterator = group.iterator!;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        // Serialised and encoded once for every member; each socket adds only its own prefix.
        const payload = Buffer.from(`${JSON.stringify(next.value)}}`);
        const cursor = group.context ? resumeCursors.get(group.context) ?? null : null;
        for (const member of group.members) {
          if (member.offer(member.prefix, payload)) continue;
          options.onLagged?.();
          group.members.delete(member);
          member.finish(new LaggedError(cursor));
        }
        if (group.members.size === 0) break;
      }
      end(group);
    } catch (error) {
      end(group, error instanceof Error ? error : new Error(String(error)));
    }
  };

  const end = (group: Group, error?: Error) => {
    if (groups.get(group.key) === group) groups.delete(group.key);
    for (const member of group.members) member.finish(error);
    group.members.clear();
    void group.iterator?.return?.().catch(options.onError);
  };

  return {
    get size() {
      return groups.size;
    },
    async join(key, id, offer, start) {
      let group = groups.get(key);
      if (!group) {
        group = { key, members: new Set(), started: start() };
        groups.set(key, group);
        const created = group;
        created.started.then((started) => {
          if (!('results' in started)) return end(created);
          created.iterator = started.results[Symbol.asyncIterator]();
          created.context = started.context;
          if (created.members.size === 0) return end(created);
          void pump(created);
        }, (error: unknown) => end(created, error instanceof Error ? error : new Error(String(error))));
      }
      const joined = group;
      let finish!: (error?: Error) => void;
      const ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve({ done: true, value: undefined }));
      });
      ended.catch(() => undefined); // graphql-ws awaits it; this only keeps an unawaited one quiet
      const member: Member = { id, prefix: Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`), offer, finish };
      joined.members.add(member);
      const started = await joined.started.catch((error: unknown) => ({ result: { errors: [error] } as unknown as ExecutionResult }));
      if (!('results' in started)) {
        joined.members.delete(member);
        return started.result;
      }
      const iterable: AsyncIterableIterator<ExecutionResult> = {
        next: () => ended,
        return: async () => {
          leave(joined, member);
          finish();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterable;
        },
      };
      return iterable;
    },
  };
}
