// Webhook targets are checked (their host names resolved) before a mutation's transaction, so a slow
// DNS answer never holds a calendar's lock: another write to the calendar goes on meanwhile.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { within } from '../helpers/clients.ts';
import { holdingGuard } from '../helpers/outbound.ts';
import { at, createCalendar, createEvent, futureDate, NINE_TO_FIVE } from './calendar-helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

test('a createEvent whose webhook target check is slow holds no lock: a concurrent createEvent on the same calendar completes first', { timeout: 60_000 }, async () => {
  const { outbound, held, release } = holdingGuard();
  const server = await startTestServer({ outbound });
  cleanups.push(() => server.stop());
  const ada = await server.createAccount('Ada', 'Europe/Paris');
  const calendarId = await createCalendar(server.url, ada.token, { name: 'Work', timeZone: 'Europe/Paris', workingHours: NINE_TO_FIVE });
  const date = futureDate(3);

  const slow = createEvent(server.url, ada.token, {
    calendarId, title: 'Slow check', startsAt: at(date, '10:00'), durationMinutes: 30,
    reminders: [{ minutesBefore: 15, channels: [{ kind: 'WEBHOOK', target: 'http://127.0.0.1:9/slow' }] }],
  });
  await within(held(1), 10_000, 'the slow check to begin');
  const started = Date.now();
  const other = await within(createEvent(server.url, ada.token, { calendarId, title: 'Meanwhile', startsAt: at(date, '11:00'), durationMinutes: 30 }), 10_000,
    'a createEvent on the same calendar while the first is checking its webhook');
  console.log(`# a createEvent on the same calendar completed in ${Date.now() - started} ms while another was checking its webhook target`);
  assert.equal(other.__typename, 'CreateEventPayload');
  release();
  const first = await within(slow, 10_000, 'the first createEvent');
  assert.equal(first.__typename, 'CreateEventPayload', JSON.stringify(first));
});
