import type { Client } from 'urql';
import type { ReminderFieldsFragment, ReminderStatus } from '../../client/generated/graphql.ts';
import { RemindersQuery } from '../../client/operations/reminders.ts';
import { LIVE_WAIT_MS } from '../lib/live.ts';

export type ReminderRow = ReminderFieldsFragment;
export type Order = 'soonest' | 'latest';

const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;

/**
 * The reminders the list shows: pages loaded on demand (soonest first with first/after, latest first
 * with last/before) and kept current by the live subscriptions, which upsert rows in place.
 * React reads it through useSyncExternalStore; `rows` is a new array after every change.
 *
 * Subscribe first, then load: the first page is read only once the server has acknowledged the live
 * subscriptions (`setLive`), so every change committed after the read reaches us as an event. Events
 * that arrive while the page is in flight may be newer than the page (a reminder that fired meanwhile):
 * they are applied again on top of it, unless the page's row is newer.
 */
export class ReminderStore {
  rows: ReminderRow[] = [];
  status: ReminderStatus | null = null;
  order: Order = 'soonest';
  hasMore = false;
  loading = false;
  error: string | null = null;
  private byId = new Map<string, ReminderRow>();
  private cursor: string | null = null;
  private generation = 0;
  private live = false;
  private liveWaiters: (() => void)[] = [];
  /** A page was read without the live subscriptions established: read again once they are. */
  private staleSinceDown = false;
  /** Rows heard while the first page is in flight, to apply on top of it. */
  private heardWhileLoading: ReminderRow[] | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly client: Client;
  constructor(client: Client) {
    this.client = client;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** A new object after every change, for useSyncExternalStore. */
  snapshot: { rows: ReminderRow[]; loading: boolean; hasMore: boolean; error: string | null } = { rows: [], loading: false, hasMore: false, error: null };
  getSnapshot = () => this.snapshot;

  setView(status: ReminderStatus | null, order: Order) {
    if (status === this.status && order === this.order && this.generation > 0) return;
    this.status = status;
    this.order = order;
    void this.reload();
  }

  /**
   * Whether the server listens for every live subscription the list relies on (each acknowledged,
   * again after a reconnection). A page read while they were not gets read again when they are.
   */
  setLive(live: boolean) {
    if (live === this.live) return;
    this.live = live;
    if (!live) return;
    for (const resume of this.liveWaiters.splice(0)) resume();
    if (this.staleSinceDown) void this.reload();
  }

  /** Loads the first page again, e.g. after the live link came back (what changed meanwhile). */
  async reload() {
    const generation = ++this.generation;
    this.cursor = null;
    this.loading = true;
    this.emit();
    this.staleSinceDown = !(await this.untilLive());
    if (generation !== this.generation) return;
    const heard: ReminderRow[] = [];
    this.heardWhileLoading = heard;
    const page = await this.fetchPage(FIRST_PAGE);
    if (this.heardWhileLoading === heard) this.heardWhileLoading = null;
    if (generation !== this.generation || !page) return;
    // Rows loaded by scrolling beyond the first page stay, refreshed by the live updates.
    this.byId = new Map(page.rows.map((r) => [r.id, r]));
    this.cursor = page.cursor;
    this.hasMore = page.hasMore;
    this.loading = false;
    this.sortRows();
    for (const row of heard) {
      const listed = this.byId.get(row.id);
      if (!listed || Date.parse(listed.updatedAt) <= Date.parse(row.updatedAt)) this.place(row);
    }
    this.publish();
  }

  async loadMore() {
    if (this.loading || !this.hasMore) return;
    const generation = this.generation;
    this.loading = true;
    this.emit();
    const page = await this.fetchPage(NEXT_PAGE);
    if (generation !== this.generation || !page) return;
    for (const r of page.rows) this.byId.set(r.id, r);
    this.cursor = page.cursor;
    this.hasMore = page.hasMore;
    this.loading = false;
    this.publish();
  }

  /** A row from a subscription or a mutation: shown in place, or dropped if the filter excludes it now. */
  upsert(row: ReminderRow) {
    this.heardWhileLoading?.push(row);
    if (this.place(row)) this.publish();
  }

  /** Whether the row changed what is shown. */
  private place(row: ReminderRow): boolean {
    if (this.status && row.status !== this.status) return this.byId.delete(row.id);
    const last = this.rows.at(-1);
    const known = this.byId.has(row.id);
    // Beyond the loaded range it arrives with its page when the person scrolls there.
    if (!known && this.hasMore && last && this.compare(row, last) > 0) return false;
    this.byId.set(row.id, row);
    return true;
  }

  /** Resolves true once live, false when LIVE_WAIT_MS passed first. */
  private untilLive(): Promise<boolean> {
    if (this.live) return Promise.resolve(true);
    return new Promise((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.liveWaiters = this.liveWaiters.filter((w) => w !== resume);
        resolve(false);
      }, LIVE_WAIT_MS);
      this.liveWaiters.push(resume);
    });
  }

  get(id: string): ReminderRow | undefined {
    return this.byId.get(id);
  }

  private async fetchPage(size: number) {
    const latest = this.order === 'latest';
    const variables = latest
      ? { last: size, before: this.cursor, status: this.status }
      : { first: size, after: this.cursor, status: this.status };
    const result = await this.client.query(RemindersQuery, variables, { requestPolicy: 'network-only' }).toPromise();
    if (result.error || !result.data) {
      this.loading = false;
      this.error = result.error?.message ?? 'Could not load reminders';
      this.emit();
      return null;
    }
    this.error = null;
    const { edges, pageInfo } = result.data.reminders;
    return {
      rows: edges.map((e) => e.node),
      cursor: latest ? pageInfo.startCursor ?? null : pageInfo.endCursor ?? null,
      hasMore: latest ? pageInfo.hasPreviousPage : pageInfo.hasNextPage,
    };
  }

  private compare(a: ReminderRow, b: ReminderRow): number {
    const diff = Date.parse(a.remindAt) - Date.parse(b.remindAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return this.order === 'latest' ? -diff : diff;
  }

  private publish() {
    this.sortRows();
    this.emit();
  }

  private sortRows() {
    this.rows = [...this.byId.values()].sort((a, b) => this.compare(a, b));
  }

  private emit() {
    this.snapshot = { rows: this.rows, loading: this.loading, hasMore: this.hasMore, error: this.error };
    for (const l of this.listeners) l();
  }
}
