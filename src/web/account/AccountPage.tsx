import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDateTime, timeZones } from '../lib/time.ts';
import { Button, Card, CopyButton, ErrorNote, Field, fieldError, inputClass, useNow, useToast } from '../ui.tsx';
import { relative } from '../lib/time.ts';
import { AccountQuery, CreateApiTokenMutation, RevokeApiTokenMutation, UpdateAccountMutation } from '../../client/operations/settings.ts';
import { LimitsCard } from './Limits.tsx';

const VERIFY_SNIPPET = (secret: string) => `// Node: verify a Tickler webhook before trusting it
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = '${secret}';
function isFromTickler(rawBody, signatureHeader) {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  return signatureHeader?.length === expected.length
    && timingSafeEqual(Buffer.from(signatureHeader), Buffer.from(expected));
}
// isFromTickler(rawBodyBuffer, req.headers['x-tickler-signature'])`;

/** Name and time zone, usage against limits, API tokens (created once-shown, revoked), and the webhook secret. */
export default function AccountPage() {
  const [{ data, error }, refetch] = useQuery({ query: AccountQuery });
  const me = data?.me;
  if (!me) return error ? <ErrorNote>{error.message}</ErrorNote> : <p className="text-slate-600">Loading…</p>;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold text-slate-900">Account</h1>
      <Profile me={me} />
      <LimitsCard limits={me.limits} usage={me.usage} />
      <Tokens tokens={me.apiTokens} onChange={() => refetch({ requestPolicy: 'network-only' })} />
      <Card className="space-y-3 p-4 sm:p-5">
        <h2 className="text-lg font-semibold">Webhook secret</h2>
        <p className="text-sm text-slate-700">Every webhook request carries <code className="break-all">X-Tickler-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</code> made with this secret.</p>
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-slate-100 px-2 py-1.5 text-sm" data-testid="webhook-secret">{me.webhookSecret}</code>
          <CopyButton text={me.webhookSecret} />
        </div>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100" tabIndex={0} aria-label="Verification snippet"><code>{VERIFY_SNIPPET(me.webhookSecret)}</code></pre>
      </Card>
    </div>
  );
}

function Profile({ me }: { me: { name: string; timeZone: string } }) {
  const [name, setName] = useState(me.name);
  const [timeZone, setTimeZone] = useState(me.timeZone);
  const [errors, setErrors] = useState<{ path: string[]; message: string }[]>([]);
  const [, update] = useMutation(UpdateAccountMutation);
  const toast = useToast();
  const zones = useMemo(() => timeZones(), []);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await update({ input: { name, timeZone } });
    const payload = result.data?.updateAccount;
    if (payload?.__typename === 'ValidationError') return setErrors(payload.fieldErrors);
    setErrors([]);
    if (payload) toast({ tone: 'info', title: 'Account saved', body: 'New reminders default to this time zone.' });
  }
  return (
    <Card className="p-4 sm:p-5">
      <form onSubmit={submit} className="space-y-4" aria-label="Profile">
        <h2 className="text-lg font-semibold">Profile</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" error={fieldError(errors, 'name')}>{(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Field label="Time zone" hint="The default for new reminders and calendars" error={fieldError(errors, 'timeZone')}>{(p) => (
            <select {...p} className={inputClass} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {!zones.includes(timeZone) && <option>{timeZone}</option>}
              {zones.map((z) => <option key={z}>{z}</option>)}
            </select>
          )}</Field>
        </div>
        <Button type="submit" variant="primary">Save</Button>
      </form>
    </Card>
  );
}

type Token = { id: string; name: string; createdAt: string; lastUsedAt?: string | null; revokedAt?: string | null };
function Tokens({ tokens, onChange }: { tokens: Token[]; onChange: () => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ path: string[]; message: string }[]>([]);
  const [, create] = useMutation(CreateApiTokenMutation);
  const [, revoke] = useMutation(RevokeApiTokenMutation);
  const now = useNow(30_000);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await create({ input: { name } });
    const payload = result.data?.createApiToken;
    if (payload?.__typename === 'ValidationError') return setErrors(payload.fieldErrors);
    if (payload?.__typename === 'QuotaExceededError') return setErrors([{ path: ['input', 'name'], message: `The account has its ${payload.value} tokens: revoke one first` }]);
    if (payload?.__typename === 'CreateApiTokenPayload') {
      setErrors([]);
      setName('');
      setCreated(payload.token);
      onChange();
    }
  }
  return (
    <Card className="space-y-4 p-4 sm:p-5">
      <h2 className="text-lg font-semibold">API tokens</h2>
      {created && (
        <div className="space-y-2 rounded-md bg-emerald-50 p-3 ring-1 ring-emerald-200" role="status">
          <p className="text-sm font-medium text-emerald-900">New token, shown only this once:</p>
          <div className="flex items-center gap-2">
            <code data-testid="created-token" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 text-sm">{created}</code>
            <CopyButton text={created} />
            <Button variant="ghost" onClick={() => setCreated(null)}>Done</Button>
          </div>
        </div>
      )}
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Create a token">
        <Field label="New token name" error={fieldError(errors, 'name')} className="min-w-48 flex-1">
          {(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="CI, phone, laptop…" />}
        </Field>
        <Button type="submit" variant="primary">Create token</Button>
      </form>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-600">
            <tr><th className="py-2 pr-3 font-semibold">Name</th><th className="py-2 pr-3 font-semibold">Created</th><th className="py-2 pr-3 font-semibold">Last used</th><th className="py-2"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => (
              <tr key={t.id} className={t.revokedAt ? 'text-slate-500' : ''}>
                <td className="py-2 pr-3 font-medium">{t.name}{t.revokedAt && <span className="ml-2 text-xs font-normal">(revoked)</span>}</td>
                <td className="py-2 pr-3">{formatDateTime(t.createdAt, tz)}</td>
                <td className="py-2 pr-3">{t.lastUsedAt ? relative(t.lastUsedAt, now) : 'Never'}</td>
                <td className="py-2 text-right">
                  {!t.revokedAt && <Button variant="danger" aria-label={`Revoke ${t.name}`} onClick={async () => {
                    if (!confirm(`Revoke “${t.name}”? Requests with it are refused at once.`)) return;
                    await revoke({ id: t.id });
                    onChange();
                  }}>Revoke</Button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
