import { useSyncExternalStore } from 'react';

// Hash routes (#/reminders, #/reminders/<id>, #/calendar, #/account): the server serves one page at `/`,
// so any link can be opened, bookmarked or reloaded without server-side routes.
const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length ? parts : ['reminders'];
}

export function navigate(path: string): void {
  location.hash = path.startsWith('#') ? path : `#${path}`;
}
