import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphqlUrl, loadToken } from '../lib/session.ts';
import { Button, ErrorNote } from '../ui.tsx';
import { EventAttachmentsQuery, RemoveAttachmentMutation } from '../../client/operations/calendar.ts';

// The multipart upload (GraphQL multipart request spec) goes through fetch directly: urql's fetch
// exchange sends JSON only, and one request here needs no exchange pipeline.
const ADD = 'mutation($eventId: ID!, $file: File!) { addEventAttachment(eventId: $eventId, file: $file) { __typename ... on ValidationError { message } ... on NotFoundError { message } } }';

async function upload(eventId: string, file: File): Promise<string | null> {
  const body = new FormData();
  body.append('operations', JSON.stringify({ query: ADD, variables: { eventId, file: null } }));
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', file, file.name);
  const response = await fetch(graphqlUrl(), { method: 'POST', body, headers: { authorization: `Bearer ${loadToken()}` } });
  const result = await response.json() as { data?: { addEventAttachment?: { __typename: string; message?: string } }; errors?: { message: string }[] };
  const payload = result.data?.addEventAttachment;
  return payload?.__typename === 'AddEventAttachmentPayload' ? null : payload?.message ?? result.errors?.[0]?.message ?? `Upload failed (${response.status})`;
}

/** Downloads with the Authorization header (a plain link cannot carry it), then hands the bytes to the browser. */
async function download(url: string, filename: string) {
  const response = await fetch(new URL(url, location.href), { headers: { authorization: `Bearer ${loadToken()}` } });
  if (!response.ok) throw new Error(`Download failed (${response.status})`);
  const href = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function Attachments({ eventId }: { eventId: string }) {
  const [{ data }, refetch] = useQuery({ query: EventAttachmentsQuery, variables: { id: eventId }, requestPolicy: 'cache-and-network' });
  const [, remove] = useMutation(RemoveAttachmentMutation);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const files = data?.event?.attachments ?? [];
  return (
    <div className="mt-2 space-y-1">
      {files.length > 0 && (
        <ul className="space-y-1" aria-label="Attachments">
          {files.map((f) => (
            <li key={f.id} className="flex flex-wrap items-center gap-2">
              <button type="button" className="text-indigo-700 underline" onClick={() => download(f.url, f.filename).catch((e: Error) => setError(e.message))}>{f.filename}</button>
              <span className="text-xs text-slate-600">{(f.size / 1024).toFixed(1)} kB</span>
              <Button variant="ghost" aria-label={`Remove ${f.filename}`} onClick={async () => { await remove({ id: f.id }); refetch({ requestPolicy: 'network-only' }); }}>Remove</Button>
            </li>
          ))}
        </ul>
      )}
      <label className="inline-flex items-center gap-2 text-sm text-slate-800">
        <span>{busy ? 'Uploading…' : 'Attach a file'}</span>
        <input type="file" className="text-sm" disabled={busy} onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setBusy(true);
          setError(await upload(eventId, file));
          setBusy(false);
          e.target.value = '';
          refetch({ requestPolicy: 'network-only' });
        }} />
      </label>
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
