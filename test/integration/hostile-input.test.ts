// A schema-driven probe: hostile arguments for every query and mutation field, generated from the
// schema itself with a seeded PRNG, sent as one account while another account's data is watched.
// Every answer must be data or a typed error: no "Unexpected error.", no framework or database text,
// no 5xx, no stall, and nothing of the other account changed. Replay a failure with HOSTILE_SEED=<seed>
// (HOSTILE_CASES=<cases per field and account> and HOSTILE_BUDGET_SECONDS=<per account> set its length).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isLeafType, isListType, isNonNullType, isObjectType, isUnionType,
  type GraphQLInputType, type GraphQLNamedType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';
import { getSchema } from '../../src/graphql/schema.ts';
import { graphqlData } from '../helpers/clients.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.HOSTILE_CASES ?? 300);
/** Each account's probe stops after this long (the rest of its cases are not sent): 1–2 minutes in all. */
const BUDGET_MS = Number(process.env.HOSTILE_BUDGET_SECONDS ?? 45) * 1000;
/** Any of these in an answer means something unexpected leaked through: a bug or an unmasked internal error. */
const TELLS = [
  'Unexpected error', 'Cannot read properties', 'is not a function', 'has not been implemented', 'Expected ref', 'violates',
  'invalid input syntax', 'out of range', 'duplicate key', 'syntax error at', 'Cannot return null for non-nullable', 'Maximum call stack',
  'Invalid Date', 'RangeError', 'TypeError', 'DriverException', 'PothosValidationError', 'Invalid global ID', 'Invalid base64',
  'invalid byte sequence', 'Unicode escape sequence', 'surrogate pair', 'relation "', '+010000', '-000001',
];
const SLOW_MS = 10_000;

console.log(`# seed ${SEED} (replay with HOSTILE_SEED=${SEED}), ${CASES} cases per field and account`);

/** mulberry32: small, fast and good enough to pick test inputs reproducibly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

type Account = { id: string; token: string; defaultCalendarId: string; calendarId: string; eventId: string; reminderId: string; spareTokenId: string };

let server: TestServer;
let schema: GraphQLSchema;
let alice: Account;
let bob: Account;

before(async () => {
  // HOSTILE_DEV=1 shows the cause of a masked error (NODE_ENV=development), to debug a failure.
  server = await startTestServer({ env: { FEED_TIMEOUT_SECONDS: '2', RATE_LIMIT_PER_SECOND: '0', ...(process.env.HOSTILE_DEV ? { NODE_ENV: 'development' } : {}) } });
  schema = getSchema();
  alice = await seedAccount('Alice');
  bob = await seedAccount('Bob');
});
after(() => server.stop());

/** An account with a calendar, an event with a reminder, a reminder with a webhook, and a second token. */
async function seedAccount(name: string): Promise<Account> {
  const account = await server.createAccount(name, 'Europe/Paris');
  const gql = (query: string, variables: Record<string, unknown> = {}) => graphqlData<any>(server.url, { query, variables, token: account.token });
  const soon = new Date(Date.now() + 90 * 86_400_000).toISOString();
  const calendar = await gql('mutation { createCalendar(input: { name: "Room", workingHours: [{ weekday: MONDAY, start: "09:00", end: "17:00" }] }) { ... on CreateCalendarPayload { calendar { id } } } }');
  const event = await gql(`mutation($at: DateTime!) { createEvent(input: { title: "Review", durationMinutes: 30, startsAt: $at, attendees: ["x@example.com"], reminders: [{ minutesBefore: 15 }] }) { ... on CreateEventPayload { event { id } } } }`, { at: soon });
  const reminder = await gql(`mutation($at: DateTime!) { createReminder(input: { message: "Pay rent", remindAt: $at, recurrence: "FREQ=MONTHLY", channels: [{ kind: WEBHOOK, target: "https://hooks.example.com/x" }] }) { ... on CreateReminderPayload { reminder { id } } } }`, { at: soon });
  const token = await gql('mutation { createApiToken(input: { name: "spare" }) { ... on CreateApiTokenPayload { apiToken { id } } } }');
  return {
    ...account,
    calendarId: calendar.createCalendar.calendar.id,
    eventId: event.createEvent.event.id,
    reminderId: reminder.createReminder.reminder.id,
    spareTokenId: token.createApiToken.apiToken.id,
  };
}

/** Everything of an account that the API shows, less what moves by itself (token use, the clock). */
async function snapshot(account: Account): Promise<string> {
  const data = await graphqlData<any>(server.url, {
    token: account.token,
    query: `{
      me { id name timeZone webhookSecret
        calendars { id name timeZone bufferMinutes slotIntervalMinutes horizonDays busyCalendarIds feedUrl workingHours { weekday start end } }
        apiTokens { id name createdAt revokedAt } }
      reminders(first: 5000) { edges { node { id message remindAt timeZone recurrence status graceSeconds updatedAt channels { kind target } } } }
      events(first: 5000) { edges { node { id title startsAt endsAt durationMinutes placement attendees location cancelledAt updatedAt calendar { id }
        attendeeCalendars { id } attachments { id filename size } reminders { id remindAt status } } } } }`,
  });
  return JSON.stringify(data);
}

// ─── Values ─────────────────────────────────────────────────────────────────────────────────────

const UUID = '0b9f7a52-3c1e-4a8e-9d2f-6e5b4c3a2d10';
const FRAGMENTS = [
  '', ' ', 'a', 'Team sync', 'x'.repeat(257), 'y'.repeat(5001), '\u0000', 'before\u0000after', '\u0001\u0007\u001b[31m\u007f', '\t\r\n',
  '\ud800', '\udfff', 'x\udc00y', '\u202eevil\u202c', 'مرحبا بالعالم', '👩‍👩‍👧‍👦🎉', '\u200b\u200d\ufeff', 'e\u0301'.repeat(300), '\uffff\ufffe',
  '\u2028\u2029', "'; drop table reminder; --", 'Robert"); --', '%s%n%x', '${7*7}{{7*7}}', '<script>alert(1)</script>', '../../etc/passwd',
  'null', '[]', '{"a":1}', '\\', '"', '0', '-1', '1e309',
];
const URLS = [
  'https://hooks.example.com/x', 'http://127.0.0.1:5432/', 'http://localhost/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/',
  'http://0x7f.1/', 'http://2130706433/', 'http://10.0.0.1/', 'file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com/',
  'http://user:pass@example.com/', 'webcal://feeds.example.org/cal.ics', 'https://93.184.215.14/hook', `https://e.example/${'p'.repeat(3000)}`,
  'https://\u0000.example/', 'https://exa\u0000mple.com/', 'https://xn--nxasmq6b.example/', 'https://例え.テスト/', 'http:///nohost', 'https://',
  'http://[fe80::1%25eth0]/', 'https://a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.example/', 'not a url', '',
];
const EMAILS = ['a@example.com', 'x@y', 'no-at-sign', `${'a'.repeat(300)}@example.com`, 'a\u0000b@example.com', '"quoted"@example.com'];
const ZONES = ['UTC', 'Europe/Paris', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Mars/Olympus', '', '+01:00', 'Etc/GMT+12', 'America/Argentina/Buenos_Aires', '../../etc/localtime', 'UTC\u0000'];
const RRULES = [
  'FREQ=DAILY', 'FREQ=SECONDLY', 'FREQ=MINUTELY;INTERVAL=1', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;UNTIL=99991231T235959Z',
  'FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1', 'FREQ=WEEKLY;COUNT=2', 'FREQ=DAILY;COUNT=1', 'FREQ=HOURLY;INTERVAL=2;BYHOUR=25', 'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO',
  'FREQ=DAILY;COUNT=999999999', 'RRULE:FREQ=DAILY', 'FREQ=SOMETIMES', `FREQ=DAILY;${'BYHOUR=1;'.repeat(100)}`, 'FREQ=DAILY\u0000', '',
];
const DATE_TIMES = [
  () => new Date(Date.now() + 86_400_000).toISOString(), () => new Date(Date.now() + 40 * 86_400_000).toISOString(), () => new Date(Date.now() - 86_400_000).toISOString(),
  () => '9999-12-31T23:59:59Z', () => '9999-12-31T23:30:00Z', () => '0001-01-01T00:00:00Z', () => '0001-01-01T00:10:00Z', () => '2030-03-31T02:30:00+02:00',
  () => '0000-01-01T00:00:00Z', () => '9999-12-31T23:59:59-12:00', () => '+010000-01-01T00:00:00Z', () => '2026-02-30T00:00:00Z', () => '2026-11-24T09:00:00',
  () => '2026-11-24T25:00:00Z', () => 'tomorrow', () => '9999-12-31T23:59:59.999999999Z',
];
const DATES = ['0001-01-01', '9999-12-31', '2030-02-29', '2028-02-29', '0000-01-01', '2030-13-01', '20300101', new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)];
const LOCAL_TIMES = ['00:00', '09:00', '23:59', '23:59:59', '24:00', '24:01', '9:00', '12:60', ''];
const INTS = [0, 1, -1, 5, 15, 30, 59, 60, 61, 100, 1000, 1440, 1441, 3650, 3651, 5000, 5001, 525_600, 525_601, 1_000_000, 2_147_483_647, -2_147_483_648];

function idPool(self: Account, other: Account): string[] {
  return [
    self.calendarId, self.defaultCalendarId, self.eventId, self.reminderId, self.spareTokenId,
    other.calendarId, other.defaultCalendarId, other.eventId, other.reminderId, other.spareTokenId,
    encodeGlobalID('Node', UUID), encodeGlobalID('Error', UUID), encodeGlobalID('constructor', 'x'), encodeGlobalID('__proto__', 'x'),
    encodeGlobalID('Reminder', 'not-a-uuid'), encodeGlobalID('Reminder', UUID), encodeGlobalID('Calendar', '1'), encodeGlobalID('Event', `${UUID}:x`),
    encodeGlobalID('ReminderDelivery', UUID), encodeGlobalID('Account', other.id), encodeGlobalID('Reminder', '\u0000'), UUID, '1', '-1', '', 'not base64!',
    'A'.repeat(5000), '\u0000', '\ud800',
  ];
}

function hostileString(rng: Rng): string {
  const parts = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(FRAGMENTS));
  if (rng.chance(0.02)) parts.push('z'.repeat(200_000));
  return parts.join('');
}

/** A cursor-shaped string: base64 of JSON that may hold anything. */
function hostileCursor(rng: Rng): string {
  const inner = rng.pick(['[1e20,"x"]', `[0,"${UUID}"]`, `[8.64e15,"${UUID}"]`, `[-8.64e15,"${UUID}"]`, '[null,null]', '{}', '"', `[1,"${UUID}\\u0000"]`, '12345678901234567890']);
  return rng.chance(0.5) ? Buffer.from(inner).toString('base64url') : Buffer.from(inner).toString('base64');
}

type Pools = { ids: string[] };

function stringFor(name: string, rng: Rng, pools: Pools): string {
  const key = name.toLowerCase();
  if (rng.chance(0.15)) return hostileString(rng);
  if (key === 'id' || key.endsWith('id') || key.endsWith('ids')) return rng.pick(pools.ids);
  if (key.includes('url') || key === 'target') return rng.chance(0.2) ? rng.pick(EMAILS) : rng.pick(URLS);
  if (key.includes('timezone')) return rng.pick(ZONES);
  if (key.includes('recurrence')) return rng.pick(RRULES);
  if (key === 'after' || key === 'before') return hostileCursor(rng);
  if (key.includes('attendee')) return rng.pick(EMAILS);
  return hostileString(rng);
}

function value(type: GraphQLInputType, name: string, rng: Rng, pools: Pools, depth = 0): unknown {
  if (isNonNullType(type)) return value(type.ofType, name, rng, pools, depth);
  if (depth > 0 && rng.chance(0.05)) return null;
  if (isListType(type)) {
    const wanted = rng.chance(0.05) ? rng.pick([1000, 5000]) : rng.pick([0, 1, 1, 2, 3, 10, 11, 21, 51]);
    const first = value(type.ofType, name, rng, pools, depth + 1);
    // Bodies up to ~16 MB (past MAX_REQUEST_BYTES' 12 MiB), not a gigabyte of repeated huge strings.
    const length = Math.min(wanted, Math.max(1, Math.floor(16_000_000 / (JSON.stringify(first) ?? 'null').length)));
    // A long list repeats one item: generating thousands of different ones only costs time.
    return Array.from({ length }, (_, i) => (i === 0 || length > 60 ? first : value(type.ofType, name, rng, pools, depth + 1)));
  }
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || rng.chance(0.5)) object[field.name] = value(field.type, field.name, rng, pools, depth + 1);
    }
    return object;
  }
  if (isEnumType(type)) return rng.chance(0.05) ? 'NOT_A_VALUE' : rng.pick(type.getValues()).name;
  switch (type.name) {
    case 'Int': return rng.chance(0.03) ? rng.pick([2 ** 31, 1.5, Number.MAX_SAFE_INTEGER]) : rng.pick(INTS);
    case 'Float': return rng.pick([0, -1, 1e308, 0.1]);
    case 'Boolean': return rng.chance(0.5);
    case 'DateTime': return rng.pick(DATE_TIMES)();
    case 'Date': return rng.pick(DATES);
    case 'LocalTime': return rng.pick(LOCAL_TIMES);
    case 'File': return rng.pick([null, 'file.txt', {}]);
    case 'ID': return rng.chance(0.1) ? hostileString(rng) : rng.pick(pools.ids);
    default: return stringFor(name, rng, pools);
  }
}

/** A value the field would accept from `self` (its own ids, a future time, a short name), to carry one hostile leaf deep. */
function plausible(type: GraphQLInputType, name: string, field: string, rng: Rng, self: Account): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, field, rng, self);
  if (isListType(type)) return [plausible(type.ofType, name, field, rng, self)];
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    for (const inner of Object.values(type.getFields())) {
      if (isNonNullType(inner.type) || rng.chance(0.4)) object[inner.name] = plausible(inner.type, inner.name, field, rng, self);
    }
    return object;
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  const key = name.toLowerCase();
  switch (type.name) {
    case 'Int': return ({ durationminutes: 30, minutesbefore: 10, minutes: 5, count: 5, first: 10, last: 10, horizondays: 30, bufferminutes: 0, slotintervalminutes: 15, refreshminutes: 60, graceseconds: 60 } as Record<string, number>)[key] ?? 1;
    case 'Boolean': return true;
    case 'DateTime': return new Date(Date.now() + (1 + rng.int(300)) * 86_400_000 + rng.int(86_400) * 1000).toISOString();
    case 'Date': return new Date(Date.now() + (1 + rng.int(300)) * 86_400_000).toISOString().slice(0, 10);
    case 'LocalTime': return rng.pick(['09:00', '10:30', '16:00']);
    case 'ID': {
      const about = `${key} ${field}`.toLowerCase();
      if (about.includes('calendar')) return rng.pick([self.calendarId, self.defaultCalendarId]);
      if (about.includes('event')) return self.eventId;
      if (about.includes('token')) return self.spareTokenId;
      return self.reminderId;
    }
    default:
      if (key.includes('url')) return 'https://feeds.example.org/cal.ics';
      if (key === 'target') return 'https://hooks.example.com/x';
      if (key.includes('timezone')) return 'Europe/Paris';
      if (key.includes('recurrence')) return 'FREQ=DAILY';
      if (key.includes('attendee')) return 'a@example.com';
      if (key === 'after' || key === 'before') return undefined;
      return `${name} ${rng.int(1000)}`;
  }
}

/** Replaces one leaf (or one list) of a plausible value with a hostile one. */
function withOneHostileLeaf(root: Record<string, unknown>, args: readonly { name: string; type: GraphQLInputType }[], rng: Rng, pools: Pools): void {
  const slots: { holder: Record<string, unknown> | unknown[]; key: string | number; type: GraphQLInputType; name: string }[] = [];
  const walk = (holder: Record<string, unknown> | unknown[], key: string | number, type: GraphQLInputType, name: string) => {
    slots.push({ holder, key, type, name });
    const inner = isNonNullType(type) ? type.ofType : type;
    const current = (holder as Record<string | number, unknown>)[key];
    if (isListType(inner) && Array.isArray(current)) current.forEach((_, i) => walk(current, i, inner.ofType, name));
    else if (isInputObjectType(inner) && current && typeof current === 'object') {
      for (const field of Object.values(inner.getFields())) walk(current as Record<string, unknown>, field.name, field.type, field.name);
    }
  };
  for (const arg of args) walk(root, arg.name, arg.type, arg.name);
  if (slots.length === 0) return;
  const slot = rng.pick(slots);
  (slot.holder as Record<string | number, unknown>)[slot.key] = value(slot.type, slot.name, rng, pools, 1);
}

// ─── Documents ──────────────────────────────────────────────────────────────────────────────────

/** Every leaf of the result (two levels of objects), so serialising what came back is checked too. */
function selection(type: GraphQLOutputType | GraphQLNamedType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named)) {
    return `{ __typename ${schema.getPossibleTypes(named).map((member) => `... on ${member.name} ${selection(member, depth)}`).join(' ')} }`;
  }
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    if (isLeafType(getNamedType(field.type))) parts.push(field.name);
    else if (depth > 1) parts.push(`${field.name} ${selection(field.type, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

type Case = { operation: 'query' | 'mutation'; field: string; query: string; variables: Record<string, unknown>; token: string };

function cases(rng: Rng, self: Account, other: Account, count: number): Case[] {
  const pools = { ids: idPool(self, other) };
  const all: Case[] = [];
  for (const operation of ['query', 'mutation'] as const) {
    const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    for (const field of Object.values(root.getFields())) {
      for (let i = 0; i < count; i++) {
        const variables: Record<string, unknown> = {};
        const declared: string[] = [];
        const passed: string[] = [];
        // Half the cases are hostile throughout; half are what the field would accept, but for one leaf.
        const focused = rng.chance(0.5);
        const args = field.args.filter((arg) => isNonNullType(arg.type) || !rng.chance(0.35));
        for (const arg of args) {
          variables[arg.name] = focused ? plausible(arg.type, arg.name, field.name, rng, self) : value(arg.type, arg.name, rng, pools);
          declared.push(`$${arg.name}: ${String(arg.type)}`);
          passed.push(`${arg.name}: $${arg.name}`);
        }
        if (focused) withOneHostileLeaf(variables, args, rng, pools);
        const head = declared.length ? `(${declared.join(', ')})` : '';
        const passing = passed.length ? `(${passed.join(', ')})` : '';
        // createAccount is the admin's: it gets the admin token, everything else the account's.
        const token = field.name === 'createAccount' ? TEST_ADMIN_TOKEN : self.token;
        all.push({ operation, field: field.name, query: `${operation}${head} { ${field.name}${passing} ${selection(field.type, 2)} }`, variables, token });
      }
    }
  }
  // Interleaved, so that one field's cases meet the state others' leave behind.
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

type Outcome = { status: number; text: string; ms: number };

async function send(c: Case): Promise<Outcome> {
  const started = performance.now();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${c.token}` },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text(), ms: performance.now() - started };
}

/** What is wrong with an answer, or null. Echoed input is cut out first: refusals may quote it. */
function problemWith(c: Case, outcome: Outcome): string | null {
  if (outcome.status >= 500) return `HTTP ${outcome.status}`;
  if (outcome.ms > SLOW_MS) return `took ${outcome.ms.toFixed(0)} ms`;
  let text = outcome.text;
  const echoed = new Set<string>();
  const collect = (v: unknown) => {
    if (typeof v === 'string' && v.length > 0) echoed.add(JSON.stringify(v).slice(1, -1));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(c.variables);
  for (const piece of [...echoed].sort((x, y) => y.length - x.length)) text = text.replaceAll(piece, '').replaceAll(piece.slice(0, 57), '');
  const tell = TELLS.find((t) => text.includes(t));
  if (tell) return `"${tell}" in the answer`;
  try {
    const body = JSON.parse(outcome.text) as { data?: unknown; errors?: unknown[] };
    if (body.data === undefined && !body.errors?.length) return 'neither data nor errors';
  } catch {
    if (outcome.status === 200) return 'a body that is not JSON';
  }
  return null;
}

function describe(c: Case): string {
  const variables = JSON.stringify(c.variables, (_k, v) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length})` : Array.isArray(v) && v.length > 12 ? [...v.slice(0, 3), `…(${v.length} items)`] : v));
  return `${c.operation} ${c.field} ${variables.slice(0, 600)}`;
}

async function probe(name: string, self: Account, other: Account, rng: Rng) {
  const before = await snapshot(other);
  const list = cases(rng, self, other, CASES);
  const failures: string[] = [];
  const started = performance.now();
  let slowest = 0;
  const statuses = new Map<string, number>();
  let sent = 0;
  for (const [index, c] of list.entries()) {
    if (performance.now() - started > BUDGET_MS) break;
    sent++;
    let outcome: Outcome;
    try {
      outcome = await send(c);
    } catch (error) {
      failures.push(`#${index} ${describe(c)}\n    → no answer: ${(error as Error).message}`);
      continue;
    }
    slowest = Math.max(slowest, outcome.ms);
    const kind = outcome.text.includes('"errors"') ? 'errors' : 'data';
    statuses.set(`${outcome.status} ${kind}`, (statuses.get(`${outcome.status} ${kind}`) ?? 0) + 1);
    const problem = problemWith(c, outcome);
    if (problem) failures.push(`#${index} ${describe(c)}\n    → ${problem}: ${outcome.text.slice(0, 400)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`# ${name}: ${sent} of ${list.length} requests in ${seconds.toFixed(1)} s (slowest ${slowest.toFixed(0)} ms); answers ${[...statuses].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  const afterwards = await snapshot(other);
  assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} bad answers:\n${failures.slice(0, 25).join('\n')}`);
  assert.equal(afterwards, before, `seed ${SEED}: the other account's data changed`);
}

test('every query and mutation answers hostile input from Alice with data or a typed error, and Bob\'s data stays as it was', async () => {
  await probe('as Alice', alice, bob, prng(SEED));
});

test('the same from Bob, with Alice\'s data watched', async () => {
  await probe('as Bob', bob, alice, prng(SEED ^ 0x5bd1e995));
});
