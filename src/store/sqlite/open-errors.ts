/**
 * SQLite's answers to opening a file it cannot use, as the StoreOpenError
 * an operator reads: the file, what is wrong and what to do about it.
 */
import { StoreOpenError } from '../store.js';

const ADVICE: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'is not a SQLite database; move it away to start with an empty one, or restore it from a backup',
  SQLITE_CORRUPT: 'is damaged; restore it from a backup, or move it away to start with an empty one',
  SQLITE_READONLY: 'cannot be written by this user; give it (and its directory) to the user running Fleetwatch',
  SQLITE_CANTOPEN: 'cannot be opened; check that DATA_DIR and the file are readable and writable by this user',
  SQLITE_PERM: 'cannot be opened by this user; check its permissions',
};

/** The StoreOpenError for `error` met while opening `file`, or undefined for an error that is not the operator's to fix. */
export function storeOpenError(error: unknown, file: string): StoreOpenError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  // Extended codes (SQLITE_CORRUPT_INDEX, SQLITE_READONLY_DIRECTORY, …) take their primary code's advice.
  const advice = ADVICE[code] ?? ADVICE[code.replace(/_[A-Z]+$/, '')];
  return advice ? new StoreOpenError(`${file} ${advice} (${code})`, { cause: error }) : undefined;
}
