/**
 * Where the CLI keeps its settings: one file per profile (URL and token, mode 0600) and one cursor
 * file per server and account for `listen`, under the user's config directory.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TicklerClientError } from '../client/errors.ts';

export type Profile = { url: string; token: string };

/** $TICKLER_CONFIG_DIR, else the platform's config directory + /tickler. */
export function configDir(env: NodeJS.ProcessEnv, platform = process.platform, home = os.homedir()): string {
  if (env.TICKLER_CONFIG_DIR) return env.TICKLER_CONFIG_DIR;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'tickler');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'tickler');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'tickler');
}

export function checkProfileName(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new TicklerClientError('usage', `Not a profile name: '${name}' (letters, digits, - and _)`);
  return name;
}

export function profilePath(dir: string, name: string): string {
  return path.join(dir, 'profiles', `${checkProfileName(name)}.json`);
}

export function readProfile(dir: string, name: string): Profile | null {
  let text: string;
  try {
    text = readFileSync(profilePath(dir, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as Partial<Profile>;
  if (typeof value.url !== 'string' || typeof value.token !== 'string') {
    throw new TicklerClientError('usage', `${profilePath(dir, name)} is damaged; run tickler login again`);
  }
  return { url: value.url, token: value.token };
}

/** Writes the profile readable by its owner only (the token is a secret). */
export function saveProfile(dir: string, name: string, profile: Profile): string {
  const file = profilePath(dir, name);
  writePrivate(file, `${JSON.stringify(profile, null, 2)}\n`);
  return file;
}

export function removeProfile(dir: string, name: string): boolean {
  const file = profilePath(dir, name);
  try {
    rmSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The cursor file of one server and account: another token of the same account shares it. */
export function cursorPath(dir: string, url: string, accountId: string): string {
  const key = createHash('sha256').update(`${url}\n${accountId}`).digest('hex').slice(0, 24);
  return path.join(dir, 'cursors', `${key}.json`);
}

export function readCursor(file: string): string | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { cursor?: unknown };
    return typeof value.cursor === 'string' ? value.cursor : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TicklerClientError('usage', `Cannot read the cursor file ${file}: ${(error as Error).message}`);
  }
}

/**
 * Synchronous and atomic (write, then rename): it runs right after an expiry was handled, so that
 * a crash leaves either the old cursor or the new one, never half a file.
 */
export function writeCursor(file: string, cursor: string, meta: Record<string, string> = {}): void {
  writePrivate(file, `${JSON.stringify({ cursor, ...meta, savedAt: new Date().toISOString() })}\n`);
}

function writePrivate(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the mode above is masked by the umask
  renameSync(temporary, file);
}
