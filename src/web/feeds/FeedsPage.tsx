import type { LiveLink } from '../lib/client.ts';
import { useLiveQuery, useLiveSubscriptions } from '../lib/live.ts';
import { Card, ErrorNote } from '../ui.tsx';
import { CalendarFeedSyncedSubscription, FeedsQuery } from '../../client/operations/feeds.ts';
import { SubscribeForm } from './SubscribeForm.tsx';
import { FeedCard } from './FeedCard.tsx';
import { ExportList } from './ExportList.tsx';

const SUBSCRIPTIONS = [{ query: CalendarFeedSyncedSubscription }];
const NO_VARIABLES = {};

/**
 * Calendar feeds: subscribe to an outside ICS feed, watch each feed's syncs (live through
 * calendarFeedSynced), refresh, edit or unsubscribe; and every calendar's own export address.
 */
export default function FeedsPage({ link }: { link: LiveLink }) {
  // Each sync attempt (scheduled, retried or asked for elsewhere) is announced; the list is read again
  // so the counts, errors and warnings shown are the server's, not a local guess. Subscribed first,
  // then read (lib/live.ts): a sync that ends while the page loads is shown too, and after the socket
  // was down everything is read again.
  const changes = useLiveSubscriptions(link, SUBSCRIPTIONS);
  const { data, error, reload } = useLiveQuery(changes, FeedsQuery, NO_VARIABLES);

  const me = data?.me;
  if (!me) return error ? <ErrorNote>{error.message}</ErrorNote> : <p className="text-slate-600">Loading…</p>;
  const feeds = me.calendars.filter((c) => c.feed);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold text-slate-900">Calendar feeds</h1>
        <p className="text-sm text-slate-700" data-testid="feed-usage">{me.usage.calendarFeeds} of {me.limits.calendarFeeds} feeds</p>
      </div>
      <SubscribeForm onSubscribed={reload} />
      <section aria-labelledby="feeds-heading" className="space-y-3">
        <h2 id="feeds-heading" className="text-lg font-semibold text-slate-900">Subscribed feeds</h2>
        {feeds.length === 0 && (
          <Card className="p-4 text-sm text-slate-700">No feeds yet. A feed calendar is a read-only mirror of a Google, Outlook, iCloud or Nextcloud calendar, kept in sync.</Card>
        )}
        <ul className="space-y-3">
          {feeds.map((calendar) => (
            <li key={calendar.id}><FeedCard calendar={calendar} timeZone={me.timeZone} onChanged={reload} /></li>
          ))}
        </ul>
      </section>
      <ExportList calendars={me.calendars} onChanged={reload} />
    </div>
  );
}
