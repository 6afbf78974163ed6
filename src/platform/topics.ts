/**
 * Every pub/sub topic, keyed by routing key; the first element is the id the topic is scoped to
 * (always an account id: subscribers never hear another tenant). Payloads stay small — ids and
 * kinds — because they travel through NOTIFY (8000 bytes at most); subscribers load the rest.
 */
export type Topics = {
  'account:updated': [accountId: string, payload: { accountId: string }];
};
