import { useMemo, useState, type FormEvent } from 'react';
import type { CombinedError } from 'urql';
import { CreateAccountMutation } from '../client/operations/account.ts';
import { createAdminClient } from './lib/client.ts';
import { graphqlUrl } from './lib/session.ts';
import { browserTimeZone, timeZones } from './lib/time.ts';
import { Button, Card, CopyButton, ErrorNote, Field, fieldError, inputClass, Logo } from './ui.tsx';

/** Checks a token with a plain `me` request before keeping it. */
async function verify(token: string): Promise<string | null> {
  try {
    const response = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = await response.json() as { data?: { me?: { id: string } }; errors?: { message: string }[] };
    return body.data?.me ? null : body.errors?.[0]?.message ?? `The server answered ${response.status}`;
  } catch (error) {
    return `Cannot reach Tickler: ${(error as Error).message}`;
  }
}

/** Why createAccount was refused, in the words of the first-run form (the admin token is the only credential it takes). */
function adminRefusal(error: CombinedError | undefined): string {
  const first = error?.graphQLErrors[0];
  const code = first?.extensions?.code ?? (error?.response?.status === 401 ? 'UNAUTHENTICATED' : null);
  if (code === 'UNAUTHENTICATED') return 'That is not the admin token';
  if (code === 'FORBIDDEN') return 'That is not the admin token: it is an account\'s API token (use it under "Sign in with a token")';
  return first?.message ?? error?.message ?? 'Could not create the account';
}

/** Paste an API token, or (first run) create an account with the admin token and get its token once. */
export function SignIn({ onToken, notice }: { onToken: (token: string) => void; notice?: string | null }) {
  const [tab, setTab] = useState<'token' | 'create'>('token');
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 p-4">
      <div className="text-center">
        <Logo className="mx-auto mb-2 h-12 w-12" />
        <h1 className="text-2xl font-semibold text-slate-900">Tickler console</h1>
        <p className="mt-1 text-sm text-slate-600">Reminders and calendars, live.</p>
      </div>
      {notice && <ErrorNote>{notice}</ErrorNote>}
      <div role="tablist" aria-label="Sign in" className="grid grid-cols-2 rounded-lg bg-slate-200 p-1 text-sm">
        <button role="tab" aria-selected={tab === 'token'} className={`rounded-md py-1.5 font-medium ${tab === 'token' ? 'bg-white shadow-sm' : 'text-slate-700'}`} onClick={() => setTab('token')}>Sign in with a token</button>
        <button role="tab" aria-selected={tab === 'create'} className={`rounded-md py-1.5 font-medium ${tab === 'create' ? 'bg-white shadow-sm' : 'text-slate-700'}`} onClick={() => setTab('create')}>First run: create an account</button>
      </div>
      <Card className="p-5">{tab === 'token' ? <TokenForm onToken={onToken} /> : <CreateAccountForm onToken={onToken} />}</Card>
      <p className="text-center text-sm text-slate-600">Prefer raw GraphQL? <a className="font-medium text-indigo-700 underline" href="/graphql">Open GraphiQL</a></p>
    </main>
  );
}

function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    setBusy(true);
    const problem = await verify(value);
    setBusy(false);
    if (problem) setError(problem);
    else onToken(value);
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Sign in with an API token">
      <Field label="API token" hint="An account's token (tk_…). It stays in this browser until you sign out." error={error}>
        {(p) => <input {...p} name="token" type="password" autoComplete="off" className={`${inputClass} font-mono`} value={token} onChange={(e) => setToken(e.target.value)} placeholder="tk_…" />}
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={busy || !token.trim()}>Sign in</Button>
    </form>
  );
}

function CreateAccountForm({ onToken }: { onToken: (token: string) => void }) {
  const [admin, setAdmin] = useState('');
  const [name, setName] = useState('');
  // Preselected: the browser's own zone, whatever it is called ("UTC", "Etc/UTC"…); timeZones() always lists it.
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const zones = useMemo(() => timeZones(), []);
  const [errors, setErrors] = useState<{ path: string[]; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const result = await createAdminClient(admin.trim()).mutation(CreateAccountMutation, { input: { name, timeZone } }).toPromise();
    const payload = result.data?.createAccount;
    if (!payload) return setError(adminRefusal(result.error));
    if (payload.__typename === 'ValidationError') return setErrors(payload.fieldErrors);
    setCreated(payload.token);
  }
  if (created) {
    return (
      <div className="space-y-3">
        <p className="font-medium text-slate-900">Account created. Its API token, shown only this once:</p>
        <div className="flex items-center gap-2">
          <code data-testid="new-token" className="min-w-0 flex-1 break-all rounded bg-slate-100 px-2 py-1.5 text-sm">{created}</code>
          <CopyButton text={created} />
        </div>
        <p className="text-sm text-slate-600">Keep it somewhere safe: scripts and other browsers sign in with it.</p>
        <Button variant="primary" className="w-full" onClick={() => onToken(created)}>Continue to the console</Button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create an account">
      <Field label="Admin token" hint={<>Printed by <code>npm start</code>, kept in <code>.data/admin-token</code>.</>} error={error}>
        {(p) => <input {...p} name="adminToken" type="password" autoComplete="off" className={`${inputClass} font-mono`} value={admin} onChange={(e) => setAdmin(e.target.value)} placeholder="adm_…" />}
      </Field>
      <Field label="Account name" error={fieldError(errors, 'name')}>
        {(p) => <input {...p} name="name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="Ada" />}
      </Field>
      <Field label="Time zone" error={fieldError(errors, 'timeZone')}>
        {(p) => <select {...p} name="timeZone" className={inputClass} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
          {zones.map((z) => <option key={z}>{z}</option>)}
        </select>}
      </Field>
      <Button type="submit" variant="primary" className="w-full" disabled={!admin.trim() || !name.trim()}>Create account</Button>
    </form>
  );
}
