/**
 * Reads of /proc, /run and small files under /etc. None of them waits on a
 * disk (procfs and tmpfs live in memory, /etc sits in the page cache), so a
 * synchronous read is safe here, and it costs a fraction of
 * fs.promises.readFile, which makes four thread-pool round trips and a
 * FileHandle per file: with a dozen files a cycle, that was a visible share
 * of the agent's CPU. Anything that can hang (statfs of a network mount, the
 * Docker socket, the spool) stays asynchronous.
 */
import { readFileSync } from 'node:fs';

/** The file's text; throws like readFileSync when it cannot be read. */
export const readText = (path: string): string => readFileSync(path, 'utf8');

/** The file's text, or `fallback` when it cannot be read. */
export function readTextOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}
