/**
 * One CLI invocation's surroundings: environment, output, profile, and the clients built from
 * them. Commands take it as an argument, so tests and the bundle run the same code.
 */
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { Command } from 'commander';
import { TicklerClientError } from '../client/errors.ts';
import { createHttpClient, endpointUrl, type HttpClient } from '../client/http.ts';
import { MeQuery } from '../client/operations/account.ts';
import { createWsClient, type WsClientOptions } from '../client/ws.ts';
import WebSocket from 'ws';
import { configDir, readProfile, type Profile } from './config-store.ts';
import { createOutput, type Output } from './output.ts';

export type Io = {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  now: () => Date;
  version: string;
};

export type GlobalOptions = { json?: boolean; profile?: string };

export type Cli = {
  io: Io;
  out: Output;
  profileName: string;
  configDir: string;
  /** URL and token: TICKLER_URL / TICKLER_TOKEN over the profile's. */
  connection(options?: { needToken?: boolean }): Profile;
  http(): HttpClient;
  ws(options?: Omit<WsClientOptions, 'url' | 'token' | 'webSocketImpl'>): ReturnType<typeof createWsClient>;
  /** The account's time zone (one `me` query, remembered). */
  me(): Promise<ResultOf<typeof MeQuery>['me']>;
};

export function cliFor(command: Command, io: Io): Cli {
  const options = command.optsWithGlobals<GlobalOptions>();
  const out = createOutput({ stdout: io.stdout, stderr: io.stderr, json: Boolean(options.json), env: io.env });
  const profileName = options.profile ?? io.env.TICKLER_PROFILE ?? 'default';
  const dir = configDir(io.env);
  let http: HttpClient | undefined;
  let me: ReturnType<Cli['me']> | undefined;
  const connection = ({ needToken = true } = {}): Profile => {
    const saved = readProfile(dir, profileName);
    const url = io.env.TICKLER_URL || saved?.url;
    const token = io.env.TICKLER_TOKEN || saved?.token || '';
    if (!url) {
      throw new TicklerClientError('auth', `No Tickler server configured${profileName === 'default' ? '' : ` for profile '${profileName}'`}: run 'tickler login --url URL --token TOKEN' or set TICKLER_URL and TICKLER_TOKEN`);
    }
    if (needToken && !token) throw new TicklerClientError('auth', `No API token: run 'tickler login' or set TICKLER_TOKEN`);
    return { url: endpointUrl(url), token };
  };
  const cli: Cli = {
    io,
    out,
    profileName,
    configDir: dir,
    connection,
    http() {
      if (!http) {
        const { url, token } = connection();
        http = createHttpClient({ url, token, userAgent: `tickler-cli/${io.version}` });
      }
      return http;
    },
    ws(wsOptions = {}) {
      const { url, token } = connection();
      return createWsClient({ url, token, webSocketImpl: WebSocket, ...wsOptions });
    },
    me() {
      me ??= cli.http().request(MeQuery).then((data) => data.me);
      return me;
    },
  };
  return cli;
}
