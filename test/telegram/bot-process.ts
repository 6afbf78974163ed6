// Runs the real bot (`node src/telegram/main.ts`) as a child process with JSON logs, so tests can
// wait for what it logs instead of sleeping. (test/helpers/process.ts runs src/main.ts only.)
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type BotProcess = {
  child: ChildProcess;
  logs: Record<string, any>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  /** SIGTERM, and the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function spawnBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [path.join(root, 'src/telegram/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  const watchers = new Set<(line: Record<string, any>) => void>();
  let partial = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, any>;
        logs.push(entry);
        for (const watcher of [...watchers]) watcher(entry);
      } catch {
        stderr += `${line}\n`;
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waitForLog = (match: (line: Record<string, any>) => boolean, timeoutMs = 60_000) => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, any>>((resolve, reject) => {
      const watcher = (line: Record<string, any>) => {
        if (!match(line)) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching bot log within ${timeoutMs} ms; stderr: ${stderr}; last logs: ${JSON.stringify(logs.slice(-5))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        watchers.delete(watcher);
      };
      watchers.add(watcher);
      void exited.then(({ code, signal }) => {
        if (!watchers.has(watcher)) return;
        done();
        reject(new Error(`the bot exited (${code ?? signal}) first; stderr: ${stderr}; last logs: ${JSON.stringify(logs.slice(-5))}`));
      });
    });
  };
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    waitForLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
