import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphql } from '../helpers/clients.ts';
import { CREATE_EVENT, createCalendar, futureDate, NINE_TO_FIVE } from './calendar-helpers.ts';

let server: TestServer;
let ada: { id: string; token: string };

before(async () => {
  server = await startTestServer();
  ada = await server.createAccount('Ada', 'Europe/Paris');
});
after(() => server.stop());

const nineToFive = () => createCalendar(server.url, ada.token, { name: 'Desk', timeZone: 'Europe/Paris', workingHours: NINE_TO_FIVE, slotIntervalMinutes: 30 });

/** Fires every request at once; returns each result's __typename, with any GraphQL error as 'ERROR: …'. */
async function placeAll(inputs: Record<string, unknown>[]): Promise<string[]> {
  const results = await Promise.all(inputs.map((input) => graphql<any>(server.url, { query: CREATE_EVENT, variables: { input }, token: ada.token })));
  return results.map((r) => (r.errors?.length ? `ERROR: ${r.errors[0]!.message}` : r.data!.createEvent.__typename));
}

function count(types: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of types) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

/** Pairs of occupancy rows that overlap on one calendar: the exclusion constraint says there are none. */
async function overlapsInDatabase(): Promise<number> {
  const client = new pg.Client({ connectionString: server.db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as n from event_occupancy a join event_occupancy b
      on a.calendar_id = b.calendar_id and a.event_id < b.event_id and a.during && b.during`);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('concurrent automatic placement', () => {
  test('50 concurrent 30-minute placements on a day with 8 free hours: exactly 16 succeed, the rest SlotUnavailableError', async () => {
    const calendarId = await nineToFive();
    const date = futureDate(14);
    const inputs = Array.from({ length: 50 }, (_, i) => ({ calendarId, title: `Race ${i}`, durationMinutes: 30, date }));
    const outcome = count(await placeAll(inputs));
    assert.deepEqual(outcome, { CreateEventPayload: 16, SlotUnavailableError: 34 });
    assert.equal(await overlapsInDatabase(), 0);
  });

  test('the same across two calendars shared through attendeeCalendarIds, from either side', async () => {
    const [a, b] = await Promise.all([nineToFive(), nineToFive()]);
    const date = futureDate(15);
    const inputs = Array.from({ length: 50 }, (_, i) => ({
      calendarId: i % 2 ? a : b,
      attendeeCalendarIds: [i % 2 ? b : a],
      title: `Shared race ${i}`,
      durationMinutes: 30,
      date,
    }));
    const outcome = count(await placeAll(inputs));
    assert.deepEqual(outcome, { CreateEventPayload: 16, SlotUnavailableError: 34 });
    assert.equal(await overlapsInDatabase(), 0);
  });

  test('the exclusion constraint itself refuses overlapping occupancy, whatever the application does', async () => {
    const client = new pg.Client({ connectionString: server.db.url });
    await client.connect();
    try {
      const calendar = (await client.query('select id, account_id from calendar where is_default limit 1')).rows[0];
      const insert = (from: string, to: string) => client.query(
        `with e as (insert into event (id, account_id, calendar_id, title, starts_at, ends_at, duration_minutes, placement, created_at, updated_at)
           values (gen_random_uuid(), $1, $2, 'raw', $3, $4, 30, 'EXACT', now(), now()) returning id)
         insert into event_occupancy (event_id, calendar_id, during) select id, $2, tstzrange($3, $4) from e`,
        [calendar.account_id, calendar.id, from, to]);
      await insert('2031-01-01T10:00:00Z', '2031-01-01T11:00:00Z');
      await assert.rejects(insert('2031-01-01T10:30:00Z', '2031-01-01T11:30:00Z'), { code: '23P01' });
      await insert('2031-01-01T11:00:00Z', '2031-01-01T11:30:00Z'); // touching is not overlapping
    } finally {
      await client.end();
    }
  });

  test('concurrent exact placements of one time: one wins, the others are refused with it as the conflict', async () => {
    const calendarId = await nineToFive();
    const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const outcome = count(await placeAll(Array.from({ length: 20 }, (_, i) => ({ calendarId, title: `Exact ${i}`, durationMinutes: 45, startsAt }))));
    assert.deepEqual(outcome, { CreateEventPayload: 1, SlotUnavailableError: 19 });
    assert.equal(await overlapsInDatabase(), 0);
  });
});
