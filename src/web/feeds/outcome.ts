// What a feed mutation's answer means for the form that sent it: the calendar, errors beside the fields
// they name, or one note for the whole form. Kept apart from the components so every form reads the
// unions the same way.
import type { CombinedError } from 'urql';
import type { FeedCalendarFieldsFragment } from '../../client/generated/graphql.ts';

export type FieldErrors = { path: string[]; message: string }[];
export type Outcome =
  | { ok: true; calendar: FeedCalendarFieldsFragment | null }
  | { ok: false; fieldErrors: FieldErrors; note: string | null };

type Payload =
  | { __typename: 'SubscribeCalendarFeedPayload' | 'RotateCalendarFeedTokenPayload' | 'RefreshCalendarFeedPayload'; calendar: FeedCalendarFieldsFragment }
  | { __typename: 'UnsubscribeCalendarFeedPayload' }
  | { __typename: 'ValidationError'; message: string; fieldErrors: FieldErrors }
  | { __typename: 'NotFoundError'; message: string }
  | { __typename: 'QuotaExceededError'; message: string; value: number };

/** Reads one mutation result: a payload, a typed error of its union, or a transport/GraphQL error. */
export function outcomeOf(payload: Payload | null | undefined, error: CombinedError | undefined): Outcome {
  if (!payload) return { ok: false, fieldErrors: [], note: error?.graphQLErrors[0]?.message ?? error?.message ?? 'No answer from Tickler' };
  switch (payload.__typename) {
    case 'ValidationError':
      // A message the fields do not carry (or no field at all) still has to be seen.
      return { ok: false, fieldErrors: payload.fieldErrors, note: payload.fieldErrors.length ? null : payload.message };
    case 'QuotaExceededError':
      return { ok: false, fieldErrors: [], note: `You already have ${payload.value} feed${payload.value === 1 ? '' : 's'}, this account's limit: unsubscribe from one first (the server's LIMIT_CALENDAR_FEEDS).` };
    case 'NotFoundError':
      return { ok: false, fieldErrors: [], note: 'That feed is gone (unsubscribed elsewhere?). The list has been reloaded.' };
    case 'UnsubscribeCalendarFeedPayload':
      return { ok: true, calendar: null };
    default:
      return { ok: true, calendar: payload.calendar };
  }
}

/** The absolute address a calendar app needs (Calendar.feedUrl is a path unless PUBLIC_URL is set). */
export function absoluteUrl(feedUrl: string, origin: string): string {
  return new URL(feedUrl, origin).toString();
}
