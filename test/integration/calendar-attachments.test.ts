import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { graphqlData } from '../helpers/clients.ts';
import { createEvent } from './calendar-helpers.ts';

const LIMIT = 1000;
let server: TestServer;
let ada: { token: string };
let bob: { token: string };
let eventId: string;

before(async () => {
  server = await startTestServer({ env: { ATTACHMENT_MAX_BYTES: String(LIMIT) } });
  [ada, bob] = await Promise.all([server.createAccount('Ada'), server.createAccount('Bob')]);
  eventId = (await createEvent(server.url, ada.token, { title: 'With files', durationMinutes: 30 })).event.id;
});
after(() => server.stop());

const ADD = `mutation($eventId: ID!, $file: File!) { addEventAttachment(eventId: $eventId, file: $file) { __typename
  ... on AddEventAttachmentPayload { attachment { id filename contentType size sha256 url } event { attachments { id } } }
  ... on ValidationError { fieldErrors { path message } } ... on NotFoundError { message } } }`;

/** A GraphQL multipart request (operations + map + the file part), as browsers and Apollo upload clients send it. */
async function upload(token: string, event: string, content: Uint8Array<ArrayBuffer> | string, filename: string, type: string): Promise<any> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: ADD, variables: { eventId: event, file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([content], { type }), filename);
  const response = await fetch(server.url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as any;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.addEventAttachment;
}

const download = (path: string, token?: string) =>
  fetch(new URL(path, server.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('event attachments', () => {
  test('an upload is listed on the event with its size and SHA-256, and downloads byte for byte', async () => {
    const bytes: Uint8Array<ArrayBuffer> = new Uint8Array(Array.from({ length: 600 }, (_, i) => i % 256));
    const added = await upload(ada.token, eventId, bytes, 'agenda.bin', 'application/octet-stream');
    assert.equal(added.__typename, 'AddEventAttachmentPayload');
    const { attachment } = added;
    assert.deepEqual([attachment.filename, attachment.contentType, attachment.size], ['agenda.bin', 'application/octet-stream', 600]);
    assert.equal(attachment.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok(added.event.attachments.some((a: any) => a.id === attachment.id));
    const response = await download(attachment.url, ada.token);
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
    assert.match(response.headers.get('content-disposition') ?? '', /agenda\.bin/);
  });

  test('a file over the limit is a ValidationError and is not stored', async () => {
    const result = await upload(ada.token, eventId, 'x'.repeat(LIMIT + 1), 'big.txt', 'text/plain');
    assert.equal(result.__typename, 'ValidationError');
    assert.deepEqual(result.fieldErrors[0].path, ['file']);
    const data = await graphqlData<any>(server.url, { query: 'query($id: ID!) { event(id: $id) { attachments { filename } } }', variables: { id: eventId }, token: ada.token });
    assert.ok(!data.event.attachments.some((a: any) => a.filename === 'big.txt'));
  });

  test('downloads need the owner\'s token: none is 401, another account\'s is 404', async () => {
    const { attachment } = await upload(ada.token, eventId, 'secret', 'note.txt', 'text/plain');
    assert.equal((await download(attachment.url)).status, 401);
    assert.equal((await download(attachment.url, bob.token)).status, 404);
    assert.equal((await upload(bob.token, eventId, 'sneaky', 'x.txt', 'text/plain')).__typename, 'NotFoundError');
  });

  test('removeEventAttachment deletes it; the URL then answers 404', async () => {
    const { attachment } = await upload(ada.token, eventId, 'temporary', 'tmp.txt', 'text/plain');
    const remove = 'mutation($id: ID!) { removeEventAttachment(id: $id) { __typename } }';
    const byBob = await graphqlData<any>(server.url, { query: remove, variables: { id: attachment.id }, token: bob.token });
    assert.equal(byBob.removeEventAttachment.__typename, 'NotFoundError');
    const removed = await graphqlData<any>(server.url, { query: remove, variables: { id: attachment.id }, token: ada.token });
    assert.equal(removed.removeEventAttachment.__typename, 'RemoveEventAttachmentPayload');
    assert.equal((await download(attachment.url, ada.token)).status, 404);
  });
});
