import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { graphqlData, graphqlWithStatus } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer();
  ({ token } = await server.createAccount('Ada', 'Europe/Paris'));
});
after(() => server.stop());

const PREVIEW = `query($remindAt: DateTime!, $recurrence: String!, $timeZone: String, $count: Int) {
  recurrencePreview(remindAt: $remindAt, recurrence: $recurrence, timeZone: $timeZone, count: $count) {
    __typename
    ... on RecurrencePreview { occurrences }
    ... on ValidationError { message fieldErrors { path message } }
  } }`;

test('recurrencePreview lists the first occurrences in the account zone, across a DST change', async () => {
  // 09:00 Paris on the Friday before the 2030 spring-forward (31 March): the wall time stays 09:00.
  const data = await graphqlData(server.url, { token, query: PREVIEW, variables: { remindAt: '2030-03-29T09:00:00+01:00', recurrence: 'FREQ=DAILY' } });
  assert.deepEqual(data.recurrencePreview.occurrences, [
    '2030-03-29T08:00:00.000Z', '2030-03-30T08:00:00.000Z', '2030-03-31T07:00:00.000Z', '2030-04-01T07:00:00.000Z', '2030-04-02T07:00:00.000Z',
  ]);
});

test('recurrencePreview stops where COUNT ends the series', async () => {
  const data = await graphqlData(server.url, { token, query: PREVIEW, variables: { remindAt: '2030-01-01T10:00:00Z', recurrence: 'FREQ=WEEKLY;COUNT=2', timeZone: 'UTC', count: 10 } });
  assert.deepEqual(data.recurrencePreview.occurrences, ['2030-01-01T10:00:00.000Z', '2030-01-08T10:00:00.000Z']);
});

test('a rule createReminder would refuse comes back as a ValidationError on the recurrence argument', async () => {
  const data = await graphqlData(server.url, { token, query: PREVIEW, variables: { remindAt: '2030-01-01T10:00:00Z', recurrence: 'FREQ=SOMETIMES' } });
  assert.equal(data.recurrencePreview.__typename, 'ValidationError');
  assert.deepEqual(data.recurrencePreview.fieldErrors[0].path, ['recurrence']);
  assert.match(data.recurrencePreview.message, /FREQ/);
});

test('recurrencePreview needs an account token', async () => {
  const { status } = await graphqlWithStatus(server.url, { query: PREVIEW, variables: { remindAt: '2030-01-01T10:00:00Z', recurrence: 'FREQ=DAILY' } });
  assert.equal(status, 401);
});
