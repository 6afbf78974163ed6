/** redeliver: send failed webhook/e-mail deliveries again. */
import { Command } from 'commander';
import { TicklerClientError, unwrap } from '../../client/errors.ts';
import { RedeliverFailedMutation, RedeliverMutation } from '../../client/operations/reminders.ts';
import { parseInstant } from '../../client/when.ts';
import { cliFor, type Io } from '../context.ts';

/** The API queues at most this many a call; a full batch means there may be more. */
const BATCH = 1000;

export function redeliverCommand(program: Command, io: Io): void {
  program
    .command('redeliver')
    .description('Send a FAILED delivery again (or all failed ones with --failed)')
    .argument('[delivery-id]', 'the delivery id (tickler show lists them; webhooks get it as X-Tickler-Delivery)')
    .option('--failed', "every failed delivery of the account (narrow with --reminder, --since)")
    .option('--reminder <id>', 'with --failed: only this reminder')
    .option('--since <time>', 'with --failed: only those whose last attempt was at or after this time')
    .addHelpText(
      'after',
      `
Examples:
  $ tickler redeliver UmVtaW5kZXJEZWxpdmVyeTo…
  $ tickler redeliver --failed --since "today 8:00"
  $ tickler redeliver --failed --reminder UmVtaW5kZXI6…`,
    )
    .action(async (deliveryId: string | undefined, options, command: Command) => {
      const cli = cliFor(command, io);
      if (Boolean(deliveryId) === Boolean(options.failed)) throw new TicklerClientError('usage', 'Give a delivery id, or --failed');
      if (deliveryId) {
        if (options.reminder || options.since) throw new TicklerClientError('usage', '--reminder and --since go with --failed');
        const data = await cli.http().request(RedeliverMutation, { deliveryId });
        const payload = unwrap(data.redeliver, 'RedeliverPayload');
        cli.out.result(payload, () => `Sending again: ${payload.delivery.channel} ${payload.delivery.target} (${payload.delivery.status}) for "${payload.reminder.message}"`);
        return;
      }
      const since = options.since ? parseInstant(options.since, { now: cli.io.now(), timeZone: (await cli.me()).timeZone }).toISOString() : null;
      let total = 0;
      for (;;) {
        const data = await cli.http().request(RedeliverFailedMutation, { input: { reminderId: options.reminder ?? null, since } });
        const { count } = unwrap(data.redeliverFailed, 'RedeliverFailedPayload');
        total += count;
        if (count < BATCH) break;
      }
      cli.out.result({ count: total }, () => (total ? `Sending ${total} failed deliver${total === 1 ? 'y' : 'ies'} again` : 'No failed deliveries.'));
    });
}
