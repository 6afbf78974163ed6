/** WebSocket close codes Tickler uses, beside graphql-ws's own (4400 bad request, 4403 forbidden, …). */
export const CloseCode = {
  GoingAway: 1001,
  /** The pub/sub link was down for a moment: reconnect, and resume with `after:` what may have been missed. */
  ServiceRestart: 1012,
  Unauthorized: 4401,
  Forbidden: 4403,
  InternalServerError: 4500,
} as const;
