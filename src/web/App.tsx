import { lazy, Suspense, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Provider, useClient, useQuery } from 'urql';
import { createSession, type LiveLink } from './lib/client.ts';
import { loadToken, saveToken } from './lib/session.ts';
import { navigate, useRoute } from './lib/router.ts';
import { Button, ErrorNote, Logo, ToastProvider, cx } from './ui.tsx';
import { MeQuery } from '../client/operations/account.ts';
import { SignIn } from './SignIn.tsx';
import { ReminderStore } from './reminders/store.ts';
import { LiveReminders, ReminderEvents } from './reminders/live.tsx';
import { ReminderList } from './reminders/ReminderList.tsx';
import { ReminderForm } from './reminders/ReminderForm.tsx';
import { ReminderDetail } from './reminders/ReminderDetail.tsx';

// The calendar and account pages load on first visit, so the reminders page starts with less JavaScript.
const CalendarPage = lazy(() => import('./calendar/CalendarPage.tsx'));
const AccountPage = lazy(() => import('./account/AccountPage.tsx'));
const FeedsPage = lazy(() => import('./feeds/FeedsPage.tsx'));

export function App() {
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [notice, setNotice] = useState<string | null>(null);
  const signIn = (value: string) => {
    saveToken(value);
    setNotice(null);
    setToken(value);
    navigate('/reminders');
  };
  const signOut = (why: string | null = null) => {
    saveToken(null);
    setNotice(why);
    setToken(null);
  };
  return (
    <ToastProvider>
      {token ? <Console key={token} token={token} onSignOut={signOut} /> : <SignIn onToken={signIn} notice={notice} />}
    </ToastProvider>
  );
}

function Console({ token, onSignOut }: { token: string; onSignOut: (why?: string | null) => void }) {
  const session = useMemo(() => createSession(token, () => onSignOut('The token was refused (revoked?). Sign in again.')), [token]);
  useEffect(() => () => session.dispose(), [session]);
  return (
    <Provider value={session.client}>
      <Shell link={session.link} onSignOut={onSignOut} />
    </Provider>
  );
}

function Shell({ link, onSignOut }: { link: LiveLink; onSignOut: (why?: string | null) => void }) {
  const [{ data, error }] = useQuery({ query: MeQuery });
  const route = useRoute();
  const session = useMemo(() => ({ events: new ReminderEvents() }), []);
  const client = useClient();
  // The first page is asked for at once, in parallel with `me`, rather than after the list mounts.
  const store = useMemo(() => {
    const created = new ReminderStore(client);
    created.setView(null, 'soonest');
    return created;
  }, [client]);

  useEffect(() => {
    if (error?.response?.status === 401) onSignOut('The token was refused (revoked?). Sign in again.');
  }, [error, onSignOut]);

  const me = data?.me;
  const section = route[0] ?? 'reminders';
  const nav = [
    ['reminders', 'Reminders'],
    ['calendar', 'Calendar'],
    ['feeds', 'Feeds'],
    ['account', 'Account'],
  ] as const;

  return (
    <div className="flex h-dvh flex-col">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <a href="#/reminders" className="flex items-center gap-2 font-semibold text-slate-900"><Logo /> Tickler</a>
          {/* Below sm the entries take their own line and wrap, rather than widen the page on a phone. */}
          <nav aria-label="Main" className="order-3 flex w-full flex-wrap gap-1 sm:order-none sm:w-auto">
            {nav.map(([key, label]) => (
              <a key={key} href={`#/${key}`} aria-current={section === key ? 'page' : undefined}
                className={cx('rounded-md px-2.5 py-1.5 text-sm font-medium sm:px-3', section === key ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100')}>
                {label}
              </a>
            ))}
            <a href="/graphql" className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 sm:px-3">GraphiQL</a>
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <NotificationsButton />
            <LiveIndicator link={link} />
            {me && <span className="hidden text-sm text-slate-700 md:inline" data-testid="account-name">{me.name}</span>}
            <Button variant="ghost" onClick={() => onSignOut(null)}>Sign out</Button>
          </div>
        </div>
      </header>
      <main className="mx-auto min-h-0 w-full max-w-6xl flex-1 overflow-auto p-4">
        {error && !me && <ErrorNote>{error.message}</ErrorNote>}
        {me && store && (
          <>
            <LiveReminders store={store} events={session.events} link={link} timeZone={me.timeZone} />
            <Suspense fallback={<p className="text-slate-600">Loading…</p>}>
              {section === 'reminders' && route[1] === 'new' && <ReminderForm store={store} accountTimeZone={me.timeZone} />}
              {section === 'reminders' && route[1] && route[1] !== 'new' && <ReminderDetail key={route[1]} id={route[1]} store={store} events={session.events} accountTimeZone={me.timeZone} />}
              {section === 'reminders' && !route[1] && <ReminderList store={store} timeZone={me.timeZone} />}
              {section === 'calendar' && <CalendarPage me={me} link={link} />}
              {section === 'feeds' && <FeedsPage link={link} />}
              {section === 'account' && <AccountPage />}
            </Suspense>
          </>
        )}
      </main>
    </div>
  );
}

/** Offers browser notifications for expiries until the person has decided (they show while the tab is hidden). */
function NotificationsButton() {
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'denied' : Notification.permission));
  if (permission !== 'default') return null;
  return (
    // max-sm: a variant, so it wins over Button's own inline-flex (plain `hidden` lost and the button took a line on phones).
    <Button variant="ghost" className="max-sm:hidden" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Enable notifications
    </Button>
  );
}

/** Green while the WebSocket is up; says so plainly when it is down and while it reconnects. */
function LiveIndicator({ link }: { link: LiveLink }) {
  const state = useSyncExternalStore(link.subscribe, () => link.state);
  const label = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline — reconnecting…';
  return (
    <span role="status" data-live-state={state} title={state === 'down' ? 'The live link to Tickler is down; changes will catch up when it is back.' : 'Changes appear as they happen'}
      className={cx('inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset',
        state === 'live' && 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
        state === 'connecting' && 'bg-slate-100 text-slate-700 ring-slate-400/40',
        state === 'down' && 'bg-red-50 text-red-800 ring-red-600/30')}>
      <span aria-hidden="true" className={cx('h-2 w-2 rounded-full', state === 'live' ? 'bg-emerald-500' : state === 'down' ? 'bg-red-500 animate-pulse' : 'bg-slate-400')} />
      {label}
    </span>
  );
}
