import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

export type CliResult = { code: number; stdout: string; stderr: string };

/** The environment a CLI run sees: none of the developer's TICKLER_* settings, its own config dir. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('TICKLER_') && key !== 'NODE_OPTIONS') env[key] = value;
  return { ...env, NO_COLOR: '', ...extra };
}

/** Builds, packs and installs the CLI package into a temporary prefix, as a user would. */
export async function installPackedCli(): Promise<{ bin: string; tarball: string; prefix: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickler-cli-pack-'));
  const { stdout } = await run(process.execPath, [path.join(root, 'src/cli/build.ts'), '--out', path.join(dir, 'package'), '--pack', dir], { cwd: root });
  const tarball = stdout.trim().split('\n').pop()!;
  const prefix = path.join(dir, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir });
  return { bin: path.join(prefix, 'bin', 'tickler'), tarball, prefix };
}

/** Runs a CLI executable to completion. */
export function runCli(command: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    // A CLI that exits before reading its input (most do) closes the pipe: EPIPE is no failure of it.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    if (input) child.stdin.end(input);
    else child.stdin.end();
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A long-running CLI (listen) whose output lines are awaited one by one with a deadline. */
export class RunningCli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(command: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c: Buffer) => this.update(() => (this.stdout += c)));
    this.child.stderr!.on('data', (c: Buffer) => this.update(() => (this.stderr += c)));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => this.update(() => resolve(code))));
  }

  get lines(): string[] {
    return this.stdout.split('\n').filter(Boolean);
  }

  /** Resolves once `predicate` holds on the output; rejects after `ms` with what was seen. */
  async until(predicate: (self: RunningCli) => boolean, what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within ${ms} ms.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private update(change: () => void) {
    change();
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/**
 * A TCP proxy whose open connections can be frozen: bytes stop flowing both ways but nothing is
 * closed, which is what a connection that died silently (a laptop asleep, a NAT that forgot it)
 * looks like from either end. New connections pass.
 */
export async function startFreezableProxy(target: { host: string; port: number }) {
  const pairs: { client: net.Socket; upstream: net.Socket }[] = [];
  const frozen: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    pairs.push({ client, upstream });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** Like a server that went away: every connection cut, new ones refused. */
    async down() {
      for (const socket of [...frozen.splice(0), ...pairs.splice(0).flatMap((p) => [p.client, p.upstream])]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    /** Back on the same port. */
    async up() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    /** Freezes every connection open now. */
    freeze() {
      for (const { client, upstream } of pairs.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        // Kept referenced but silent; destroyed on close().
        frozen.push(client, upstream);
      }
    },
    async close() {
      for (const socket of [...frozen, ...pairs.flatMap((p) => [p.client, p.upstream])]) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
