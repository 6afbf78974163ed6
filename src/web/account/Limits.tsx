import { Card } from '../ui.tsx';

export type Limits = {
  activeReminders: number; channelsPerReminder: number; minRecurrenceSeconds: number; calendarFeeds: number; apiTokens: number;
  attachmentBytes: number; subscriptions: number; requestsPerSecond: number; requestBurst: number;
};
export type Usage = { activeReminders: number; calendarFeeds: number; apiTokens: number; attachmentBytes: number; subscriptions: number; historyRows: number };

const count = (n: number) => n.toLocaleString('en-US');

/** 1536 → "1.5 KiB": attachments are shown in binary units, as LIMIT_ATTACHMENT_BYTES is usually set. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${count(value)} bytes` : `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${units[unit]}`;
}

/** What the account holds against each of its limits (me { limits usage }), one row each. */
export function LimitsCard({ limits, usage }: { limits: Limits; usage: Usage }) {
  const rows: { label: string; used: number; limit: number; format?: (n: number) => string }[] = [
    { label: 'Active reminders', used: usage.activeReminders, limit: limits.activeReminders },
    { label: 'Calendar feeds', used: usage.calendarFeeds, limit: limits.calendarFeeds },
    { label: 'API tokens', used: usage.apiTokens, limit: limits.apiTokens },
    { label: 'Attachments', used: usage.attachmentBytes, limit: limits.attachmentBytes, format: formatBytes },
    { label: 'Open subscriptions', used: usage.subscriptions, limit: limits.subscriptions },
  ];
  return (
    <Card className="space-y-3 p-4 sm:p-5">
      <h2 className="text-lg font-semibold">Usage and limits</h2>
      <ul className="space-y-3" aria-label="Usage against limits">
        {rows.map(({ label, used, limit, format = count }) => {
          const share = limit > 0 ? Math.min(1, used / limit) : 1;
          return (
            <li key={label} data-testid="limit-row">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                <span className="font-medium text-slate-800">{label}</span>
                <span className="tabular-nums text-slate-700">{format(used)} / {format(limit)}</span>
              </div>
              <div className="mt-1 h-1.5 rounded-full bg-slate-100" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
                <div className={`h-1.5 rounded-full ${share >= 1 ? 'bg-red-600' : share >= 0.8 ? 'bg-amber-500' : 'bg-emerald-600'}`} style={{ width: `${share * 100}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
      <dl className="grid gap-x-4 gap-y-1 text-sm text-slate-700 sm:grid-cols-2">
        <div className="flex justify-between gap-3"><dt>Channels per reminder</dt><dd className="tabular-nums">{count(limits.channelsPerReminder)}</dd></div>
        <div className="flex justify-between gap-3"><dt>Shortest repeat</dt><dd className="tabular-nums">{count(limits.minRecurrenceSeconds)} s</dd></div>
        <div className="flex justify-between gap-3"><dt>Requests per second</dt><dd className="tabular-nums">{limits.requestsPerSecond ? `${count(limits.requestsPerSecond)} (burst ${count(limits.requestBurst)})` : 'no limit'}</dd></div>
        <div className="flex justify-between gap-3"><dt>History kept</dt><dd className="tabular-nums">{count(usage.historyRows)} rows</dd></div>
      </dl>
      <p className="text-xs text-slate-600">Over a limit, the change is refused and nothing is written; cancel reminders, revoke tokens or remove files to free room.</p>
    </Card>
  );
}
