import { ConfigError, parseConfig } from './platform/config.ts';
import { createApp } from './app.ts';

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const app = createApp(config);
let signals = 0;

const shutdown = (signal: NodeJS.Signals) => {
  signals += 1;
  if (signals > 1) {
    app.log.warn({ signal }, 'second signal: exiting now');
    process.exit(130);
  }
  app.log.info({ signal }, 'stopping (send the signal again to force)');
  // A stop that hangs must not keep the process alive forever.
  setTimeout(() => process.exit(1), 45_000).unref();
  app.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  await app.start();
} catch (error) {
  app.log.fatal({ err: error }, `Tickler failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await app.stop();
  process.exit(1);
}
