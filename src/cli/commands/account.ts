/** login, logout, whoami, account create. */
import { Command } from 'commander';
import { TicklerClientError, unwrap } from '../../client/errors.ts';
import { createHttpClient, endpointUrl } from '../../client/http.ts';
import { CreateAccountMutation, MeQuery } from '../../client/operations/account.ts';
import { profilePath, readProfile, removeProfile, saveProfile } from '../config-store.ts';
import { cliFor, type Io } from '../context.ts';

export function accountCommands(program: Command, io: Io): void {
  program
    .command('login')
    .description('Check a token and save it with the server URL (file mode 0600, per profile)')
    .option('--url <url>', 'the server, e.g. http://127.0.0.1:4000 (default: TICKLER_URL or the saved one)')
    .option('--token <token>', 'an API token, tk_… (default: TICKLER_TOKEN)')
    .addHelpText(
      'after',
      `
Saved under the user's config directory (e.g. ~/.config/tickler/profiles/default.json).
TICKLER_URL and TICKLER_TOKEN override the saved values for one command; --profile picks another.

Examples:
  $ tickler login --url http://127.0.0.1:4000 --token tk_…
  $ tickler --profile work login --url https://tickler.example.com --token tk_…`,
    )
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      const saved = readProfile(cli.configDir, cli.profileName);
      const url = options.url ?? io.env.TICKLER_URL ?? saved?.url;
      const token = options.token ?? io.env.TICKLER_TOKEN;
      if (!url) throw new TicklerClientError('usage', 'Give the server: --url http://127.0.0.1:4000');
      if (!token) throw new TicklerClientError('usage', 'Give an API token: --token tk_… (create one with tickler account create)');
      const endpoint = endpointUrl(url);
      const { me } = await createHttpClient({ url: endpoint, token }).request(MeQuery);
      const file = saveProfile(cli.configDir, cli.profileName, { url: endpoint, token });
      cli.out.result({ profile: cli.profileName, url: endpoint, account: me, file }, () => `Logged in to ${endpoint} as ${me.name} (${me.timeZone}); saved in ${file}`);
    });

  program
    .command('logout')
    .description("Forget the profile's saved token")
    .addHelpText('after', '\nExamples:\n  $ tickler logout\n  $ tickler --profile work logout')
    .action(async (_options, command: Command) => {
      const cli = cliFor(command, io);
      const removed = removeProfile(cli.configDir, cli.profileName);
      cli.out.result({ profile: cli.profileName, removed }, () => (removed ? `Forgot ${profilePath(cli.configDir, cli.profileName)}` : `Profile '${cli.profileName}' was not saved`));
    });

  program
    .command('whoami')
    .description('The account the token belongs to')
    .addHelpText('after', '\nExamples:\n  $ tickler whoami\n  $ TICKLER_TOKEN=tk_… tickler whoami --json')
    .action(async (_options, command: Command) => {
      const cli = cliFor(command, io);
      const { me } = await cli.http().request(MeQuery);
      cli.out.result({ url: cli.connection().url, ...me }, () => `${me.name} (${me.timeZone}) at ${cli.connection().url}, account ${me.id}`);
    });

  const account = program
    .command('account')
    .description('Accounts (creating one needs the admin token)')
    .addHelpText('after', '\nExample:\n  $ tickler account create --url http://127.0.0.1:4000 --admin-token adm_… --name Ada --tz Europe/Paris --login');
  account
    .command('create')
    .description("Create an account with the server's admin token; prints the account's first API token")
    .requiredOption('--name <name>', 'account name')
    .requiredOption('--tz <zone>', 'IANA time zone, e.g. Europe/Paris')
    .option('--admin-token <token>', 'the admin token (default: TICKLER_ADMIN_TOKEN)')
    .option('--url <url>', 'the server (default: TICKLER_URL or the saved one)')
    .option('--login', "save the new account's token as this profile")
    .addHelpText(
      'after',
      `
Examples:
  $ tickler account create --url http://127.0.0.1:4000 --admin-token "$(cat .data/admin-token)" --name Ada --tz Europe/Paris --login
  $ TICKLER_ADMIN_TOKEN=adm_… tickler account create --name Bob --tz America/New_York --json | jq -r .token`,
    )
    .action(async (options, command: Command) => {
      const cli = cliFor(command, io);
      const adminToken = options.adminToken ?? io.env.TICKLER_ADMIN_TOKEN;
      if (!adminToken) throw new TicklerClientError('usage', 'Give the admin token: --admin-token or TICKLER_ADMIN_TOKEN');
      const url = endpointUrl(options.url ?? cli.connection({ needToken: false }).url);
      const data = await createHttpClient({ url, token: adminToken }).request(CreateAccountMutation, { input: { name: options.name, timeZone: options.tz } });
      const payload = unwrap(data.createAccount, 'CreateAccountPayload');
      const file = options.login ? saveProfile(cli.configDir, cli.profileName, { url, token: payload.token }) : null;
      cli.out.result({ ...payload, ...(file ? { profile: cli.profileName, file } : {}) }, () => [
        `Created account ${payload.account.name} (${payload.account.id}, ${payload.account.timeZone})`,
        `API token (shown once): ${payload.token}`,
        ...(file ? [`Saved as profile '${cli.profileName}' in ${file}`] : []),
      ]);
    });
}
