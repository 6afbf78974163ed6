/**
 * An event reminder's text: the event's title and its start in the calendar's zone, written for a
 * person ("Design review starts Mon 7 Dec 2026, 09:00 CET"). Pure; rendered again whenever the event
 * moves (rescheduleEventReminders, in the move's transaction), so the text never names an old time.
 */
export function eventMessage(title: string, startsAt: Date, timeZone: string, allDay = false): string {
  if (allDay) {
    // An all-day event has no hour: it is a day in the calendar's zone ("Holiday is on Fri 25 Dec 2026 (all day)").
    const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).formatToParts(startsAt);
    const of = (type: Intl.DateTimeFormatPartTypes) => day.find((p) => p.type === type)?.value ?? '';
    return `${title} is on ${of('weekday')} ${of('day')} ${of('month')} ${of('year')} (all day)`;
  }
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(startsAt);
  const part = (type: Intl.DateTimeFormatPartTypes) => when.find((p) => p.type === type)?.value ?? '';
  return `${title} starts ${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}
