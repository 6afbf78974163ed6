import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type TicklerProcess = {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, any>[];
  stderr: () => string;
  /** Resolves with the GraphQL URL once the server announces it is ready. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line that matches. */
  waitForLog(match: (line: Record<string, any>) => boolean): Promise<Record<string, any>>;
};

/**
 * Runs `node src/main.ts` as a real child process with JSON logs. `detached` gives it a process
 * group of its own, so that `process.kill(-child.pid, signal)` reaches its embedded PostgreSQL too.
 * An env value of undefined removes that variable.
 */
export function spawnTickler(env: Record<string, string | undefined>, options: { detached?: boolean } = {}): TicklerProcess {
  // OUTBOUND_ALLOW: test receivers listen on loopback, which the outbound guard refuses by default.
  // RATE_LIMIT_PER_SECOND: tests fire requests as fast as they can with one token (the rate-limit tests turn it on).
  const merged: Record<string, string | undefined> = { ...process.env, PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'production', OUTBOUND_ALLOW: '127.0.0.1/32,::1/128', RATE_LIMIT_PER_SECOND: '0', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    cwd: root,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const logs: Record<string, any>[] = [];
  const watchers: { match: (line: Record<string, any>) => boolean; resolve: (line: Record<string, any>) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: Record<string, any>;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      logs.push(entry);
      for (const watcher of [...watchers]) {
        if (watcher.match(entry)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve(entry);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForLog = (match: (line: Record<string, any>) => boolean) => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, any>>((resolve, reject) => {
      watchers.push({ match, resolve });
      void exited.then(({ code }) => reject(new Error(`Tickler exited (${code}) first; stderr: ${stderr}; logs: ${JSON.stringify(logs.slice(-5))}`)));
    });
  };
  const ready = waitForLog((line) => typeof line.url === 'string').then((line) => line.url as string);
  ready.catch(() => undefined);
  return { child, logs, stderr: () => stderr, ready, exited, waitForLog };
}
