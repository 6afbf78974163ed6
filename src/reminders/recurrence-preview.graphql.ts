import { Account } from '../accounts/account.entity.ts';
import { builder } from '../graphql/builder.ts';
import { viewerOf } from '../graphql/context.ts';
import { ValidationError } from '../shared/errors.ts';
import { isStorableInstant } from '../shared/instant-range.ts';
import { isValidTimeZone } from '../shared/time-zone.ts';
import { nextOccurrence, validateRecurrence } from './recurrence.ts';
import { recurrenceTooFrequent } from './reminder.input.ts';

const RecurrencePreview = builder.simpleObject('RecurrencePreview', {
  fields: (t) => ({
    occurrences: t.field({ type: ['DateTime'], nullable: false, description: 'The first occurrences, remindAt included, ascending' }),
  }),
});

/**
 * What a rule would do before it is saved: the console shows the next occurrences under the form,
 * and a rule the server would refuse gets the very message createReminder would give.
 */
builder.queryField('recurrencePreview', (t) =>
  t.field({
    type: RecurrencePreview,
    nullable: false,
    description: 'The first `count` occurrences (1 to 20, default 5) of a rule from remindAt, expanded as createReminder would.',
    authScopes: { account: true },
    args: {
      remindAt: t.arg({ type: 'DateTime', required: true }),
      recurrence: t.arg.string({ required: true, description: 'RFC 5545 RRULE body' }),
      timeZone: t.arg.string({ description: 'Default: the account\'s' }),
      count: t.arg.int({ defaultValue: 5 }),
    },
    errors: { types: [ValidationError], union: { name: 'RecurrencePreviewResult' } },
    resolve: async (_root, args, ctx) => {
      const timeZone = args.timeZone ?? (await ctx.em.findOneOrFail(Account, { id: viewerOf(ctx).accountId })).timeZone;
      if (!isValidTimeZone(timeZone)) throw ValidationError.field(['timeZone'], `"${timeZone}" is not an IANA time zone`);
      const parsed = validateRecurrence(args.recurrence.trim(), args.remindAt, timeZone);
      if (!parsed.ok) throw ValidationError.field(['recurrence'], parsed.message);
      const tooFrequent = recurrenceTooFrequent(parsed.rule, args.remindAt, timeZone, ctx.services.config.limits.minRecurrenceSeconds);
      if (tooFrequent) throw ValidationError.field(['recurrence'], tooFrequent);
      const count = Math.min(20, Math.max(1, args.count ?? 5));
      const occurrences = [args.remindAt];
      let last: Date | null = args.remindAt;
      // The series ends at 9999-12-31 (recurrence.ts); the check keeps an unwritable instant out of the answer whatever happens there.
      while (occurrences.length < count && (last = nextOccurrence(parsed.rule, args.remindAt, timeZone, last)) && isStorableInstant(last)) occurrences.push(last);
      return { occurrences };
    },
  }),
);
