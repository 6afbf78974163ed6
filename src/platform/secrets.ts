import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads a secret kept in DATA_DIR, creating it (readable by the owner only) on first use.
 * Returns whether it was created now, so the caller can show it once.
 */
export async function loadOrCreateSecret(dataDir: string, name: string, make: () => string = () => randomBytes(24).toString('base64url')): Promise<{ value: string; created: boolean; file: string }> {
  const file = path.join(dataDir, name);
  try {
    const value = (await fs.readFile(file, 'utf8')).trim();
    if (value) return { value, created: false, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const value = make();
  // 'wx' fails if another process created it meanwhile; then theirs wins.
  try {
    await fs.writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(dataDir, name, make);
    throw error;
  }
  return { value, created: true, file };
}
