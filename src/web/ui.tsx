import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

const STATUS_STYLES: Record<string, string> = {
  SCHEDULED: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  PROCESSING: 'bg-amber-50 text-amber-900 ring-amber-600/30',
  SENT: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
  SUCCEEDED: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30',
  RETRIED: 'bg-orange-50 text-orange-900 ring-orange-600/30',
  RETRYING: 'bg-orange-50 text-orange-900 ring-orange-600/30',
  PENDING: 'bg-sky-50 text-sky-800 ring-sky-600/30',
  FAILED: 'bg-red-50 text-red-800 ring-red-600/30',
  MISSED: 'bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-600/30',
  CANCELLED: 'bg-slate-100 text-slate-700 ring-slate-500/30',
};

/** A status as a coloured pill; `data-status` lets tests and styles find it. */
export function Badge({ status }: { status: string }) {
  return (
    <span data-status={status} className={cx('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset', STATUS_STYLES[status] ?? STATUS_STYLES.CANCELLED)}>
      {status}
    </span>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost' };
export function Button({ variant = 'secondary', className, ...props }: ButtonProps) {
  return (
    <button
      type="button"
      {...props}
      className={cx(
        'inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition disabled:opacity-60',
        variant === 'primary' && 'bg-indigo-600 text-white hover:bg-indigo-700',
        variant === 'secondary' && 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50',
        variant === 'danger' && 'bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50',
        variant === 'ghost' && 'text-slate-700 shadow-none hover:bg-slate-100',
        className,
      )}
    />
  );
}

export const inputClass = 'block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-600 aria-[invalid=true]:ring-red-500';

/** A labelled control with its hint and the server's error for it right beside it. */
export function Field({ label, hint, error, children, className }: {
  label: string; hint?: ReactNode; error?: string | null; className?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('space-y-1', className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': described })}
      {hint && <p id={`${id}-hint`} className="text-xs text-slate-600">{hint}</p>}
      {error && <p id={`${id}-error`} role="alert" data-field-error className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <section className={cx('rounded-lg bg-white shadow-sm ring-1 ring-slate-200', className)}>{children}</section>;
}

export function ErrorNote({ children }: { children: ReactNode }) {
  return children ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{children}</p> : null;
}

// Toasts: short-lived notes at the bottom right, announced politely to screen readers.
type Toast = { id: number; title: string; body?: string; tone: 'info' | 'success' | 'error' };
const ToastContext = createContext<(toast: Omit<Toast, 'id'>) => void>(() => undefined);

export function useToast() {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const push = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-4), { ...toast, id }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 6000);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-end gap-2 p-4">
        {toasts.map((t) => (
          <div key={t.id} role="status" data-toast className={cx(
            'pointer-events-auto w-full max-w-sm rounded-lg px-4 py-3 text-sm shadow-lg ring-1',
            t.tone === 'success' && 'bg-emerald-700 text-white ring-emerald-800',
            t.tone === 'info' && 'bg-slate-800 text-white ring-slate-900',
            t.tone === 'error' && 'bg-red-700 text-white ring-red-800',
          )}>
            <p className="font-semibold">{t.title}</p>
            {t.body && <p className="mt-0.5 break-words opacity-95">{t.body}</p>}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** The current time, re-read every `everyMs`, for relative times ("in 2 min"). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Copies text to the clipboard with a short confirmation. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button onClick={() => navigator.clipboard?.writeText(text).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500); })}>
      {copied ? 'Copied' : label}
    </Button>
  );
}

/** Picks the first field error whose path ends with `name` (server paths look like input.channels.0.target). */
export function fieldError(errors: { path: string[]; message: string }[] | undefined, ...names: string[]): string | null {
  const wanted = names.join('.');
  return errors?.find((e) => e.path.join('.').endsWith(wanted))?.message ?? null;
}

/** The clock mark (an SVG: emoji fonts are not everywhere, headless Chromium included). */
export function Logo({ className = 'h-6 w-6' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <circle cx="16" cy="16" r="14" fill="#4f46e5" />
      <path d="M16 8v8l5 3" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" />
    </svg>
  );
}
