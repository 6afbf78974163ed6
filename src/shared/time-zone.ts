const cache = new Map<string, boolean>();

/**
 * True for an IANA time-zone name the runtime knows ("Europe/Paris", "UTC", "Etc/GMT+1").
 * Offsets such as "+01:00" are refused: they are not zones and know nothing of DST.
 */
export function isValidTimeZone(name: string): boolean {
  const known = cache.get(name);
  if (known !== undefined) return known;
  let valid = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) && name.length <= 64;
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      valid = false;
    }
  }
  if (cache.size < 10_000) cache.set(name, valid);
  return valid;
}
