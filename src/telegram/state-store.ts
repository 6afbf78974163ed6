/**
 * The bot's own state: which chat is linked to which Tickler API token, and each chat's
 * reminderExpired cursor. One small JSON file under TELEGRAM_DATA_DIR rather than a database: the
 * bot is a client of the public API and must not need Tickler's database, the state is a few
 * hundred bytes a chat, and one process owns it. Tokens are encrypted with AES-256-GCM under a key
 * derived (scrypt, per-file salt) from TELEGRAM_STATE_KEY; every write replaces the file
 * atomically (temporary file, fsync, rename, fsync of the folder), so a crash leaves either the
 * old state or the new one.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

export type Link = Readonly<{
  chatId: number;
  token: string;
  accountName: string;
  timeZone: string;
  linkedAt: string;
  /** The last expiry delivered to this chat (null: from the moment it was linked). */
  cursor: string | null;
  /** The reminder of that expiry, for "/snooze 30m". */
  lastReminderId?: string;
}>;

type Sealed = { iv: string; tag: string; data: string };
type StoredLink = Omit<Link, 'token'> & { token: Sealed };
type StateFile = { version: 1; salt: string; check: Sealed; links: Record<string, StoredLink> };

/** The key does not open this state (another key, or a damaged file): the bot must not start. */
export class StateKeyError extends Error {
  override name = 'StateKeyError';
}

const FILE = 'state.json';
const CHECK = 'tickler-telegram-state';
export const MIN_STATE_KEY_LENGTH = 32;

export class StateStore {
  private readonly file: string;
  private readonly key: Buffer;
  private readonly salt: string;
  private readonly check: Sealed;
  private readonly links = new Map<number, Link>();
  private version = 0;
  private written = 0;
  private chain: Promise<void> = Promise.resolve();

  private constructor(dir: string, key: Buffer, salt: string, check: Sealed) {
    this.file = path.join(dir, FILE);
    this.key = key;
    this.salt = salt;
    this.check = check;
  }

  /** Opens (or creates) the state under `dir`; throws StateKeyError when `secret` does not open it. */
  static async open(dir: string, secret: string): Promise<StateStore> {
    if (secret.length < MIN_STATE_KEY_LENGTH) throw new StateKeyError(`TELEGRAM_STATE_KEY must be at least ${MIN_STATE_KEY_LENGTH} characters`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let stored: StateFile | null = null;
    try {
      stored = JSON.parse(await readFile(path.join(dir, FILE), 'utf8')) as StateFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateKeyError(`cannot read ${path.join(dir, FILE)}: ${(error as Error).message}`);
    }
    if (!stored) {
      const salt = randomBytes(16).toString('base64');
      const key = await deriveKey(secret, salt);
      const store = new StateStore(dir, key, salt, seal(key, CHECK));
      await store.save();
      return store;
    }
    const key = await deriveKey(secret, stored.salt);
    try {
      if (unseal(key, stored.check) !== CHECK) throw new Error('check value differs');
    } catch {
      throw new StateKeyError(`TELEGRAM_STATE_KEY does not open ${path.join(dir, FILE)} (it was written with another key)`);
    }
    const store = new StateStore(dir, key, stored.salt, stored.check);
    for (const [chatId, link] of Object.entries(stored.links)) {
      store.links.set(Number(chatId), { ...link, chatId: Number(chatId), token: unseal(key, link.token) });
    }
    return store;
  }

  all(): Link[] {
    return [...this.links.values()];
  }

  get(chatId: number): Link | undefined {
    return this.links.get(chatId);
  }

  /** Links (or re-links) a chat; resolves once it is on disk. */
  link(link: Omit<Link, 'cursor'> & { cursor?: string | null }): Promise<void> {
    this.links.set(link.chatId, { cursor: null, ...link });
    return this.save();
  }

  unlink(chatId: number): Promise<void> {
    this.links.delete(chatId);
    return this.save();
  }

  /** Changes a linked chat's fields; does nothing for a chat that is no longer linked. */
  update(chatId: number, change: Partial<Pick<Link, 'cursor' | 'lastReminderId' | 'timeZone' | 'accountName'>>): Promise<void> {
    const link = this.links.get(chatId);
    if (!link) return Promise.resolve();
    this.links.set(chatId, { ...link, ...change });
    return this.save();
  }

  /** Waits for every change made so far to be on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  /**
   * Resolves once a write that includes every change made so far has completed. Writes are
   * serialised; changes made while one is running are coalesced into the next.
   */
  private save(): Promise<void> {
    const version = ++this.version;
    this.chain = this.chain.then(() => (this.written >= version ? undefined : this.write()));
    return this.chain;
  }

  private async write(): Promise<void> {
    const version = this.version;
    const state: StateFile = { version: 1, salt: this.salt, check: this.check, links: {} };
    for (const link of this.links.values()) state.links[String(link.chatId)] = { ...link, token: seal(this.key, link.token) };
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(state, null, 1));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.written = version;
  }
}

function deriveKey(secret: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, Buffer.from(salt, 'base64'), 32, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function seal(key: Buffer, text: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function unseal(key: Buffer, sealed: Sealed): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
