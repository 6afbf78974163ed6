// The repeat choices of the form and their RRULE bodies; anything else is a custom rule.

export type Repeat = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'custom';
export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const DAY_NAMES: Record<string, string> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

export function ruleFor(repeat: Repeat, days: string[], custom: string): string | null {
  switch (repeat) {
    case 'none': return null;
    case 'daily': return 'FREQ=DAILY';
    case 'weekdays': return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
    case 'weekly': return `FREQ=WEEKLY;BYDAY=${(days.length ? DAYS.filter((d) => days.includes(d)) : ['MO']).join(',')}`;
    case 'monthly': return 'FREQ=MONTHLY';
    case 'custom': return custom.trim() || null;
  }
}

/** The form's choice for a stored rule (edit). */
export function repeatOf(rule: string | null | undefined): { repeat: Repeat; days: string[]; custom: string } {
  if (!rule) return { repeat: 'none', days: [], custom: '' };
  if (rule === 'FREQ=DAILY') return { repeat: 'daily', days: [], custom: '' };
  if (rule === 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR') return { repeat: 'weekdays', days: [], custom: '' };
  if (rule === 'FREQ=MONTHLY') return { repeat: 'monthly', days: [], custom: '' };
  const weekly = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(rule);
  if (weekly) return { repeat: 'weekly', days: weekly[1]!.split(','), custom: '' };
  return { repeat: 'custom', days: [], custom: rule };
}

/** "Every weekday", "Weekly on Mon, Thu", or the rule itself. */
export function describeRule(rule: string): string {
  const { repeat, days } = repeatOf(rule);
  switch (repeat) {
    case 'daily': return 'Every day';
    case 'weekdays': return 'Every weekday';
    case 'weekly': return `Weekly on ${days.map((d) => DAY_NAMES[d]).join(', ')}`;
    case 'monthly': return 'Every month';
    default: return rule;
  }
}
