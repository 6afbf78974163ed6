import cluster from 'node:cluster';
import { configOrExit, type Config } from './platform/config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createSupervisor, type ChildMessage, type ChildSetup } from './platform/supervisor.ts';

const config: Config = configOrExit(process.env);

/** The first signal stops in order, a second one (or a stop that hangs) exits at once. */
function onSignals(signals: NodeJS.Signals[], log: Logger, stop: () => Promise<void>, force: () => void = () => {}) {
  let received = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    received += 1;
    if (received > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      force();
      process.exit(130);
    }
    log.info({ signal }, 'stopping (send the signal again to force)');
    // A stop that hangs must not keep the process alive forever.
    setTimeout(() => (force(), process.exit(1)), 50_000).unref();
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  for (const signal of signals) process.on(signal, shutdown);
}

if (cluster.isWorker) {
  // One of API_PROCESSES (supervisor.ts): the primary sends what it resolved, then SIGTERM to stop.
  const setup = await new Promise<ChildSetup>((resolve) => {
    process.once('message', (message: ChildSetup) => resolve(message));
    process.send!({ type: 'hello' } satisfies ChildMessage);
  });
  const log = createLogger(config, setup.name);
  const { createApp } = await import('./app.ts');
  const app = createApp(
    Object.freeze({ ...config, role: setup.role, databaseUrl: setup.databaseUrl, adminToken: setup.adminToken, port: setup.port, metricsPort: setup.metricsPort, apiProcesses: 1 }),
    { log, process: { name: setup.name, reusePort: setup.reusePort } },
  );
  // A terminal's Ctrl-C reaches the whole process group: the primary decides, and sends SIGTERM.
  process.on('SIGINT', () => undefined);
  onSignals(['SIGTERM'], log, () => app.stop());
  try {
    await app.start();
    process.send!({ type: 'ready', url: app.url, metricsUrl: app.metricsUrl } satisfies ChildMessage);
  } catch (error) {
    log.fatal({ err: error }, `${setup.name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await app.stop();
    process.exit(1);
  }
} else if (config.apiProcesses > 1) {
  const log = createLogger(config, 'primary');
  const supervisor = createSupervisor(config, log);
  onSignals(['SIGINT', 'SIGTERM'], log, () => supervisor.stop(), () => supervisor.kill());
  try {
    await supervisor.start();
  } catch (error) {
    log.fatal({ err: error }, `Tickler failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await supervisor.stop();
    process.exit(1);
  }
} else {
  // Imported here: the primary of API_PROCESSES loads none of the schema, server or workers.
  const { createApp } = await import('./app.ts');
  const app = createApp(config);
  onSignals(['SIGINT', 'SIGTERM'], app.log, () => app.stop());
  try {
    await app.start();
  } catch (error) {
    app.log.fatal({ err: error }, `Tickler failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await app.stop();
    process.exit(1);
  }
}
