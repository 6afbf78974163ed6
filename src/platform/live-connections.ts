/**
 * The graphql-ws sockets and SSE streams this process holds, by account and token: what revocation
 * closes and what the subscription limits count.
 */
export type LiveConnections = {
  /** Open subscriptions (graphql-ws + SSE) of the account, as far as the limit counts them. */
  subscriptionsOf(accountId: string): number;
};

/** A placeholder that counts nothing (worker-only processes hold no connections). */
export const NO_LIVE_CONNECTIONS: LiveConnections = { subscriptionsOf: () => 0 };
