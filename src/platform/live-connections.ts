/**
 * The graphql-ws sockets and SSE streams this process holds, by token and by account: what revocation
 * ends and what the subscription limits count.
 *
 * Revocation: every process hears 'api-token:revoked' (and 'account:deleted', which a trigger on the
 * account table sends when a row goes) through the NOTIFY bus and ends the connections opened with
 * that token (account) at once. A connection that registers after the notice (its token lookup raced
 * with the revocation) is ended as it registers: recently revoked tokens and deleted accounts are
 * remembered.
 *
 * Limits: each process counts its own subscriptions exactly (a slot per subscription, taken before it
 * runs, freed when it completes or its connection closes); other processes' counts come from
 * PostgreSQL (shared-subscription-counts.ts), as of their last report.
 *
 * Everything on the subscribe path is a few map operations; nothing here runs per event.
 */
import { GraphQLError } from 'graphql';
import type { PubSub } from './pubsub.ts';

export type LiveConnections = {
  /** Open subscriptions (graphql-ws + SSE) of the account: this process's exactly, the others' as last reported. */
  subscriptionsOf(accountId: string): number;
};

/** A placeholder that counts nothing (worker-only processes hold no connections). */
export const NO_LIVE_CONNECTIONS: LiveConnections = { subscriptionsOf: () => 0 };

/** Which limit refused a subscription, and its value. */
export type Refusal = { limit: 'subscriptions' | 'subscriptionsPerSocket'; value: number };

/** One graphql-ws socket or SSE stream and the subscription slots it holds. */
export type LiveConnection = {
  /** Takes a slot for subscription `id`, or says which limit refuses it (nothing is taken then). */
  acquire(id: string): Refusal | null;
  /** Frees `id`'s slot; nothing when it holds none. */
  release(id: string): void;
  /** Frees every slot and forgets the connection (it closed); safe to call twice. */
  close(): void;
  /** True once ended by a revocation or an account deletion (perhaps as it registered). */
  readonly ended: boolean;
};

export type LiveRegistry = LiveConnections & {
  /**
   * Registers a connection of `holder`'s token. `end` is called (once) with the reason when the token
   * is revoked or the account deleted, at once if that was already heard; the connection is then closed.
   */
  open(holder: { accountId: string; tokenId: string }, kind: 'socket' | 'stream', end: (reason: string) => void): LiveConnection;
  /** This process's own counts by account (accounts without subscriptions absent). */
  localCounts(): ReadonlyMap<string, number>;
  /** Ends every SSE stream: after a break of the pub/sub link they may have missed events or a revocation. */
  endStreams(reason: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** What the registry needs of the cross-process counts. */
export type OtherProcesses = {
  /** The account's open subscriptions on other processes, as last reported. */
  subscriptionsOf(accountId: string): number;
  /** The account's count on this process is now `count` (O(1): reported within the sharing interval). */
  changed(accountId: string, count: number): void;
};

export type LiveRegistryOptions = {
  pubsub: PubSub;
  limits: { subscriptions: number; subscriptionsPerSocket: number };
  others?: OtherProcesses;
  /** Told of each refused subscription (metrics). */
  onRefused?: (refusal: Refusal) => void;
  /** How many revoked tokens and deleted accounts are remembered, for connections registering late. */
  remembered?: number;
};

const TOKEN_REVOKED = 'The API token was revoked';
const ACCOUNT_DELETED = 'The account was deleted';

/** The error a refused subscription gets (graphql-ws `error` message; SSE adds HTTP 429). */
export function quotaExceeded(refusal: Refusal, httpStatus?: number): GraphQLError {
  const message = refusal.limit === 'subscriptions'
    ? `The account has reached its limit of ${refusal.value} open subscriptions (graphql-ws and SSE together); complete one first`
    : `This socket has reached its limit of ${refusal.value} open subscriptions; complete one first or open another socket`;
  return new GraphQLError(message, {
    extensions: { code: 'QUOTA_EXCEEDED', limit: refusal.limit, value: refusal.value, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

type Registry = {
  limits: LiveRegistryOptions['limits'];
  count(accountId: string): number;
  add(accountId: string, delta: number): void;
  refused(refusal: Refusal): Refusal;
  forget(connection: Connection): void;
};

/** A class rather than closures: ten thousand sockets each hold one. */
class Connection implements LiveConnection {
  readonly accountId: string;
  readonly tokenId: string;
  readonly kind: 'socket' | 'stream';
  ended = false;
  private closed = false;
  private slots: Set<string> | undefined;
  private readonly registry: Registry;
  private readonly onEnd: (reason: string) => void;

  constructor(registry: Registry, holder: { accountId: string; tokenId: string }, kind: 'socket' | 'stream', onEnd: (reason: string) => void) {
    this.registry = registry;
    this.accountId = holder.accountId;
    this.tokenId = holder.tokenId;
    this.kind = kind;
    this.onEnd = onEnd;
  }

  acquire(id: string): Refusal | null {
    if (this.closed) return null; // ended: its socket is closing and will not run it anyway
    const { limits } = this.registry;
    const slots = (this.slots ??= new Set());
    if (slots.has(id)) return null;
    if (this.kind === 'socket' && slots.size >= limits.subscriptionsPerSocket) {
      return this.registry.refused({ limit: 'subscriptionsPerSocket', value: limits.subscriptionsPerSocket });
    }
    if (this.registry.count(this.accountId) >= limits.subscriptions) {
      return this.registry.refused({ limit: 'subscriptions', value: limits.subscriptions });
    }
    slots.add(id);
    this.registry.add(this.accountId, 1);
    return null;
  }

  release(id: string): void {
    if (this.slots?.delete(id)) this.registry.add(this.accountId, -1);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.slots?.size) this.registry.add(this.accountId, -this.slots.size);
    this.slots = undefined;
    this.registry.forget(this);
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.close();
    this.onEnd(reason);
  }
}

export function createLiveRegistry(options: LiveRegistryOptions): LiveRegistry {
  const byToken = new Map<string, Set<Connection>>();
  const byAccount = new Map<string, Set<Connection>>();
  const streams = new Set<Connection>();
  const local = new Map<string, number>();
  const revokedTokens = recentKeys(options.remembered ?? 10_000);
  const deletedAccounts = recentKeys(options.remembered ?? 10_000);
  const notices: AsyncIterator<unknown>[] = [];

  const registry: Registry = {
    limits: options.limits,
    count: (accountId) => (local.get(accountId) ?? 0) + (options.others?.subscriptionsOf(accountId) ?? 0),
    add(accountId, delta) {
      const count = (local.get(accountId) ?? 0) + delta;
      if (count > 0) local.set(accountId, count);
      else local.delete(accountId);
      options.others?.changed(accountId, count);
    },
    refused(refusal) {
      options.onRefused?.(refusal);
      return refusal;
    },
    forget(connection) {
      remove(byToken, connection.tokenId, connection);
      remove(byAccount, connection.accountId, connection);
      if (connection.kind === 'stream') streams.delete(connection);
    },
  };

  const endAll = (connections: Set<Connection> | undefined, reason: string) => {
    if (!connections) return;
    for (const connection of [...connections]) connection.end(reason);
  };

  const listen = <T>(source: AsyncIterable<T>, heard: (payload: T) => void) => {
    const iterator = source[Symbol.asyncIterator]();
    notices.push(iterator);
    void (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) heard(next.value);
    })();
  };

  return {
    subscriptionsOf: registry.count,
    localCounts: () => local,
    open(holder, kind, end) {
      const connection = new Connection(registry, holder, kind, end);
      if (revokedTokens.has(holder.tokenId) || deletedAccounts.has(holder.accountId)) {
        connection.end(revokedTokens.has(holder.tokenId) ? TOKEN_REVOKED : ACCOUNT_DELETED);
        return connection;
      }
      add(byToken, holder.tokenId, connection);
      add(byAccount, holder.accountId, connection);
      if (kind === 'stream') streams.add(connection);
      return connection;
    },
    endStreams(reason) {
      endAll(streams, reason);
    },
    async start() {
      listen(options.pubsub.subscribe('api-token:revoked', 'tokens'), ({ tokenId }) => {
        revokedTokens.add(tokenId);
        endAll(byToken.get(tokenId), TOKEN_REVOKED);
      });
      listen(options.pubsub.subscribe('account:deleted', 'accounts'), ({ accountId }) => {
        deletedAccounts.add(accountId);
        endAll(byAccount.get(accountId), ACCOUNT_DELETED);
      });
    },
    async stop() {
      await Promise.all(notices.splice(0).map((iterator) => iterator.return?.()));
    },
  };
}

function add<V>(map: Map<string, Set<V>>, key: string, value: V) {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function remove<V>(map: Map<string, Set<V>>, key: string, value: V) {
  const set = map.get(key);
  if (!set?.delete(value)) return;
  if (set.size === 0) map.delete(key);
}

/** The last `max` keys added (a revoked token stays revoked; only a late registration needs to know). */
function recentKeys(max: number) {
  const keys = new Set<string>();
  return {
    has: (key: string) => keys.has(key),
    add(key: string) {
      keys.delete(key);
      keys.add(key);
      if (keys.size > max) keys.delete(keys.values().next().value!);
    },
  };
}
