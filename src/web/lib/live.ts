/**
 * Subscribe first, then load: how every live page of the console reads what it shows without losing
 * a change made while it loads. A page's subscriptions ask the server to acknowledge them
 * (platform/subscribed-ack.ts); its query is sent only once all of them are acknowledged, so every
 * change committed after the query's snapshot reaches the page as an event. A change heard while the
 * query is in flight may be newer than its answer, so the page reads again after it.
 *
 * The reminders list (reminders/store.ts) applies the rows it hears on top of its pages; the other
 * pages show what only the server computes (a feed's counts and errors, a week of events, an
 * occurrence's deliveries), so they read again rather than patch.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClient, type AnyVariables, type CombinedError, type DocumentInput } from 'urql';
import type { LiveLink } from './client.ts';

/**
 * How long a read waits for its subscriptions to be acknowledged before it reads anyway (the socket
 * may be down, or an older server does not acknowledge): it reads again once they are.
 */
export const LIVE_WAIT_MS = 3000;

/**
 * Whether the server listens for every subscription a view relies on. Each is acknowledged again
 * after a reconnection, so the gate closes when the link drops and opens when all have been
 * acknowledged afresh. Listeners hear each opening and closing, and an acknowledgement that comes
 * while the gate is open (a subscription re-established after the server ended it: what it would
 * have carried meanwhile is lost), which a view treats as an opening.
 */
export class LiveGate {
  private readonly streams: readonly string[];
  private readonly acknowledged = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /**
   * The link is down (or dropped since the gate was open): no acknowledgement can come before it is
   * back, so a reader reads at once rather than wait for them, and again when the gate opens.
   */
  offline = false;
  constructor(streams: readonly string[]) {
    this.streams = streams;
  }

  get live(): boolean {
    return this.acknowledged.size === this.streams.length;
  }

  /** The server listens for `stream` (one of the names given to the constructor). */
  acknowledge(stream: string) {
    this.acknowledged.add(stream);
    if (!this.live) return;
    this.offline = false;
    this.emit();
  }

  /** Every subscription must be acknowledged afresh (the link dropped, or the view stops). */
  reset() {
    if (!this.acknowledged.size) return;
    const was = this.live;
    this.acknowledged.clear();
    if (!was) return;
    this.offline = true;
    this.emit();
  }

  /**
   * Resets the gate whenever the link leaves 'live'. Heard synchronously, before the
   * acknowledgements of the re-subscriptions, so they count afresh.
   */
  follow(link: LiveLink): () => void {
    if (link.state === 'down') this.offline = true;
    return link.subscribe(() => {
      if (link.state === 'down') this.offline = true;
      if (link.state !== 'live') this.reset();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit() {
    for (const l of this.listeners) l();
  }
}

/** What a view's reads depend on: the gate of its subscriptions, and the changes they bring. */
export type LiveSource = {
  readonly gate: LiveGate;
  /** Calls `listener` on each change the view shows; returns the function that stops it. */
  onChange(listener: () => void): () => void;
};

/**
 * Reads as described at the top: the first read once the gate is open (or after `waitMs` anyway), then
 * again after each change, and each time the gate opens again. One read at a time, the next one
 * after it: urql hands a query asked for while the same one is in flight the in-flight answer, which
 * may be older than the change that asked for it.
 */
export class LiveReader {
  private readonly source: LiveSource;
  private readonly read: () => Promise<void>;
  private reading = false;
  private again = false;
  private started = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly stops: (() => void)[] = [];
  constructor(source: LiveSource, read: () => Promise<void>) {
    this.source = source;
    this.read = read;
  }

  start(waitMs = LIVE_WAIT_MS) {
    const { gate } = this.source;
    this.stops.push(gate.subscribe(() => {
      if (gate.live) this.request();
    }));
    // A change heard before the first read is in that read's snapshot.
    this.stops.push(this.source.onChange(() => {
      if (this.started) this.request();
    }));
    // While the link is down, waiting gains nothing (the page would sit empty while offline): read
    // now, and again when the gate opens. On a first load it usually opens within milliseconds.
    if (gate.live || gate.offline) this.request();
    else this.timer = setTimeout(() => this.request(), waitMs);
  }

  /** Reads now, or right after the read in flight. */
  request() {
    if (this.stopped) return;
    this.started = true;
    clearTimeout(this.timer);
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.read().finally(() => {
      this.reading = false;
      if (!this.again) return;
      this.again = false;
      this.request();
    });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const stop of this.stops.splice(0)) stop();
  }
}

/** A source whose changes are announced by hand (a view that hears them elsewhere). */
export class LiveChanges implements LiveSource {
  readonly gate: LiveGate;
  private readonly listeners = new Set<() => void>();
  constructor(gate: LiveGate) {
    this.gate = gate;
  }
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  changed() {
    for (const l of this.listeners) l();
  }
}

export type LiveSubscription = { query: DocumentInput<any, any>; variables?: AnyVariables };

/**
 * The view's own subscriptions, each asked to be acknowledged, as a LiveSource: every message with
 * data is a change. Kept for as long as the subscriptions' variables stay the same.
 */
export function useLiveSubscriptions(link: LiveLink, subscriptions: readonly LiveSubscription[]): LiveSource {
  const client = useClient();
  const key = JSON.stringify(subscriptions.map((s) => s.variables ?? {}));
  const latest = useRef(subscriptions);
  latest.current = subscriptions;
  const source = useMemo(() => new LiveChanges(new LiveGate(subscriptions.map((_, i) => String(i)))), [key, subscriptions.length]);
  useEffect(() => {
    const { gate } = source;
    const stopFollowing = gate.follow(link);
    const running = latest.current.map((s, i) =>
      client.subscription(s.query, s.variables ?? {}, { onSubscribed: () => gate.acknowledge(String(i)) })
        .subscribe((result) => {
          if (result.data) source.changed();
        }));
    return () => {
      stopFollowing();
      for (const r of running) r.unsubscribe();
      gate.reset();
    };
  }, [client, link, source]);
  return source;
}

export type LiveQuery<Data> = {
  data: Data | undefined;
  error: CombinedError | undefined;
  /** A read is waiting or in flight (what is shown may be older). */
  fetching: boolean;
  /** Reads again (after a mutation made here). */
  reload: () => void;
};

type State<Data> = { key: string; data: Data | undefined; error: CombinedError | undefined; fetching: boolean };

/**
 * `query` read through a LiveReader: what it shows includes every change `source` announces, those
 * made while it loaded too. Until the first read of new variables answers, it shows urql's cached
 * answer for them, if any.
 */
export function useLiveQuery<Data, Variables extends AnyVariables>(source: LiveSource, query: DocumentInput<Data, Variables>, variables: Variables): LiveQuery<Data> {
  const client = useClient();
  const key = JSON.stringify(variables);
  const cached = useMemo(() => client.readQuery(query, variables, { requestPolicy: 'cache-only' })?.data ?? undefined, [client, key]);
  const [state, setState] = useState<State<Data>>(() => ({ key, data: cached, error: undefined, fetching: true }));
  const reader = useRef<LiveReader | null>(null);

  useEffect(() => {
    let active = true;
    const live = new LiveReader(source, async () => {
      if (active) setState((s) => (s.key === key ? { ...s, fetching: true } : s));
      const result = await client.query(query, variables, { requestPolicy: 'network-only' }).toPromise();
      if (!active) return;
      setState((s) => {
        const before = s.key === key ? s.data : cached;
        return { key, data: result.data ?? before, error: result.error, fetching: false };
      });
    });
    reader.current = live;
    live.start();
    return () => {
      active = false;
      live.stop();
    };
  }, [client, source, key]);

  const current = state.key === key ? state : { key, data: cached, error: undefined, fetching: true };
  const reload = useMemo(() => () => reader.current?.request(), []);
  return { data: current.data, error: current.error, fetching: current.fetching, reload };
}
