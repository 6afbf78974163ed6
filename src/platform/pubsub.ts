import { createPubSub, type PubSub as YogaPubSub } from 'graphql-yoga';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from './logger.ts';
import type { Topics } from './topics.ts';

export type PubSub = YogaPubSub<Topics> & {
  /**
   * Publishes inside the caller's transaction: PostgreSQL delivers the NOTIFY at COMMIT and drops it on
   * ROLLBACK, so no subscriber ever hears of a change that did not happen.
   */
  publishInTransaction<K extends keyof Topics & string>(em: EntityManager, key: K, ...args: Topics[K]): Promise<void>;
  /**
   * Notices to send from inside a larger statement (a write and its notices in one round trip): a
   * `select` of pg_notify for each, taking the two values returned with it. Delivered at the
   * statement's commit, like publishInTransaction's. Its two placeholders are `?`, or `$firstParam`
   * and `$firstParam+1` when given (for pg's own parameters).
   */
  notices(list: Notice[], firstParam?: number): { sql: string; params: [string, string[]] };
  /** The channel every notice travels on and each notice's text, for statements that send them themselves. */
  encoded(list: Notice[]): { channel: string; texts: string[] };
  /** publishInTransaction for many payloads of one topic and id, in one statement per few thousand. */
  publishManyInTransaction<K extends keyof Topics & string>(em: EntityManager, key: K, id: Topics[K][0], payloads: Topics[K][1][]): Promise<void>;
};

/** One publication: topic key, the id it is scoped to, payload. */
export type Notice = { [K in keyof Topics & string]: [K, ...Topics[K]] }[keyof Topics & string];

export type PgEventTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener' | 'dispatchEvent'> & {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the LISTEN connection is up (false while reconnecting). */
  isListening(): boolean;
  /** How many times the LISTEN connection has been (re)established: a change means notices may have been missed. */
  listeningEpoch(): number;
};

const CHANNEL = 'tickler_events';
/** Dispatched on the event target when the LISTEN connection is back after a break. */
export const LISTEN_RESTORED = 'tickler:listen-restored';
const MAX_PAYLOAD_BYTES = 7900;

type Wire = { t: string; d: unknown };

/**
 * A Yoga event target over PostgreSQL LISTEN/NOTIFY: every server process LISTENs on one channel and
 * routes by topic, so an event published by any process reaches subscribers on all of them.
 * Local dispatch also goes through the database, which keeps one order for every process.
 */
export function createPgEventTarget(connectionString: string, log: Logger): PgEventTarget {
  const local = new EventTarget();
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', (error) => log.warn({ err: error }, 'pub/sub publish connection error'));
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let attempt = 0;
  let epoch = 0;

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== CHANNEL || !message.payload) return;
    try {
      const wire = JSON.parse(message.payload) as Wire;
      local.dispatchEvent(new CustomEvent(wire.t, { detail: wire.d }));
    } catch (error) {
      log.error({ err: error }, 'dropping a malformed pub/sub notification');
    }
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', onNotification);
    next.on('error', (error) => log.warn({ err: error }, 'pub/sub LISTEN connection error'));
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      if (!stopped) scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
    epoch++;
    // Notifications sent while the link was down are lost: tell whoever serves subscriptions.
    if (epoch > 1) local.dispatchEvent(new Event(LISTEN_RESTORED));
    if (attempt > 0) log.info('pub/sub LISTEN connection restored');
    attempt = 0;
  };

  const scheduleReconnect = () => {
    const delay = Math.min(2_000, 100 * 2 ** attempt++); // back soon after a database restart
    log.warn({ delayMs: delay }, 'pub/sub LISTEN connection lost; reconnecting');
    retry = setTimeout(() => {
      connect().catch((error) => {
        log.warn({ err: error }, 'pub/sub reconnect failed');
        if (!stopped) scheduleReconnect();
      });
    }, delay);
  };

  return {
    // Subscribers listen locally; dispatching goes out through the database and comes back to all.
    addEventListener: local.addEventListener.bind(local),
    removeEventListener: local.removeEventListener.bind(local),
    isListening: () => client !== null,
    listeningEpoch: () => epoch,
    start: connect,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
    dispatchEvent(event: Event): boolean {
      const sql = 'select pg_notify($1, $2)';
      pool.query(sql, [CHANNEL, encode(event)]).catch((error) => log.error({ err: error, topic: event.type }, 'publish failed'));
      return true;
    },
  };
}

function encode(event: Event): string {
  return encodeWire(event.type, (event as CustomEvent).detail);
}

/** A notice as it travels in NOTIFY (no Event built for it: that cost more than the JSON on hot paths). */
function encodeWire(type: string, detail: unknown): string {
  const payload = JSON.stringify({ t: type, d: detail } satisfies Wire);
  // Characters are at most 3 bytes in UTF-8 (4 for a surrogate pair, 2 chars): a short one needs no count.
  if (payload.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    throw new Error(`pub/sub payload for ${type} is too large for NOTIFY; publish ids, not documents`);
  }
  return payload;
}

export function createPubSubOver(eventTarget: PgEventTarget): PubSub {
  const pubsub = createPubSub<Topics>({ eventTarget: eventTarget as never });
  return Object.assign(pubsub, {
    async publishInTransaction<K extends keyof Topics & string>(em: EntityManager, key: K, ...args: Topics[K]) {
      const [id, detail] = args as unknown as [string, unknown];
      const payload = encodeWire(`${key}:${id}`, detail);
      await em.execute('select pg_notify(?, ?)', [CHANNEL, payload]);
    },
    encoded(list: Notice[]) {
      return { channel: CHANNEL, texts: list.map(([key, id, detail]) => encodeWire(`${key}:${id}`, detail)) };
    },
    notices(list: Notice[], firstParam?: number) {
      const encoded = list.map(([key, id, detail]) => encodeWire(`${key}:${id}`, detail));
      const sql = firstParam === undefined
        ? 'select pg_notify(?, p) from unnest(array[?]::text[]) with ordinality as t(p, n) order by n'
        : `select pg_notify($${firstParam}::text, p) from unnest($${firstParam + 1}::text[]) with ordinality as t(p, n) order by n`;
      return { sql, params: [CHANNEL, encoded] as [string, string[]] };
    },
    async publishManyInTransaction<K extends keyof Topics & string>(em: EntityManager, key: K, id: Topics[K][0], payloads: Topics[K][1][]) {
      const encoded = payloads.map((detail) => encodeWire(`${key}:${id}`, detail));
      for (let i = 0; i < encoded.length; i += 5000) {
        // ordinality keeps the notices in the order given.
        await em.execute('select pg_notify(?, p) from unnest(array[?]::text[]) with ordinality as t(p, n) order by n', [CHANNEL, encoded.slice(i, i + 5000)]);
      }
    },
  });
}
