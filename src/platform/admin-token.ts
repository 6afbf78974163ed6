import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { loadOrCreateSecret } from './secrets.ts';

export type AdminToken = { token: string | undefined; shown?: string; file?: string };

/**
 * The admin token createAccount needs: ADMIN_TOKEN, or with the embedded PostgreSQL one kept in
 * DATA_DIR (created on first start); none with an external database and no ADMIN_TOKEN.
 */
export async function resolveAdminToken(config: Pick<Config, 'adminToken' | 'databaseUrl' | 'dataDir'>): Promise<AdminToken> {
  if (config.adminToken) return { token: config.adminToken };
  if (config.databaseUrl) return { token: undefined };
  const secret = await loadOrCreateSecret(config.dataDir, 'admin-token', () => `adm_${crypto.randomUUID().replaceAll('-', '')}`);
  return { token: secret.value, shown: secret.created ? secret.value : undefined, file: secret.file };
}

/**
 * Says where the admin token is. The first-run token goes to the terminal and its file only: log
 * lines are collected, shipped and kept, so the JSON log says where the token is, never what it is.
 */
export function announceAdminToken(admin: AdminToken, log: Logger, terminal?: { write(text: string): unknown }): void {
  if (admin.shown) {
    const out = terminal ?? (process.stderr.isTTY ? process.stderr : undefined);
    if (out) out.write(`admin token (shown once, kept in ${admin.file}): ${admin.shown}\n`);
    log.info({ file: admin.file, shownOnTerminal: out !== undefined }, `admin token created and kept in ${admin.file}${out ? ' (shown once on the terminal)' : ''}`);
  } else if (admin.file) log.info({ file: admin.file }, `admin token for createAccount: see ${admin.file}`);
  else if (!admin.token) log.warn('ADMIN_TOKEN is not set: createAccount is disabled');
}
