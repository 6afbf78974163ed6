/** What a newcomer sees in GraphiQL: the first steps, runnable. */
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Tickler.
#
# 1. With the admin token (printed when the server started) in the Headers tab,
#    create an account; the answer holds the account's API token:
#
#    mutation {
#      createAccount(input: { name: "Ada", timeZone: "Europe/Paris" }) {
#        ... on CreateAccountPayload { token account { id name } }
#        ... on ValidationError { message fieldErrors { path message } }
#      }
#    }
#
# 2. Put that token in the Headers tab ({"Authorization": "Bearer tk_..."}) and run:

query Me {
  me {
    id
    name
    timeZone
    defaultCalendar { id name workingHours { weekday start end } }
  }
}
`;
