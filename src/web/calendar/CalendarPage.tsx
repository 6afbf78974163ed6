import type { LiveLink } from '../lib/client.ts';
export default function CalendarPage(_props: { me: { timeZone: string }; link: LiveLink }) {
  return <p>Calendar</p>;
}
