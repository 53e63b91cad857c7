/**
 * Undelivered reports on disk, one JSON file each, named by creation time and
 * a sequence number so that a directory listing is the send order. Writes go
 * to a temp file and are renamed into place, so a crash never leaves half a
 * report. The spool is bounded by age and by total size; the oldest reports
 * go first.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the spool lives and how big it may grow. */
export interface SpoolOptions {
  dir: string;
  maxAgeMs: number;
  maxBytes: number;
}

/** One spooled report. */
export interface SpoolEntry {
  file: string;
  createdAt: number;
  size: number;
}

const NAME = /^(\d{15})-(\d{6})\.json$/;

export class Spool {
  private seq = 0;
  constructor(private readonly options: SpoolOptions) {}

  /** Spooled reports, oldest first. */
  async list(): Promise<SpoolEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.options.dir);
    } catch {
      return [];
    }
    const entries = await Promise.all(
      names
        .filter((n) => NAME.test(n))
        .sort()
        .map(async (file) => {
          const size = await stat(join(this.options.dir, file)).then(
            (s) => s.size,
            () => -1,
          );
          return { file, createdAt: Number(NAME.exec(file)![1]), size };
        }),
    );
    return entries.filter((e) => e.size >= 0);
  }

  /** Stores a report body; then enforces the bounds. Returns the number of reports dropped by them. */
  async add(body: string, now = Date.now()): Promise<number> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    this.seq = (this.seq + 1) % 1_000_000;
    const file = `${String(now).padStart(15, '0')}-${String(this.seq).padStart(6, '0')}.json`;
    const tmp = join(this.options.dir, `.${file}.tmp`);
    await writeFile(tmp, body, { mode: 0o600 });
    await rename(tmp, join(this.options.dir, file));
    return this.prune(now);
  }

  /** Reads a spooled report body. */
  read(entry: SpoolEntry): Promise<string> {
    return readFile(join(this.options.dir, entry.file), 'utf8');
  }

  /** Removes a delivered (or rejected) report. */
  async remove(entry: SpoolEntry): Promise<void> {
    await rm(join(this.options.dir, entry.file), { force: true });
  }

  /** Drops reports older than maxAge, then the oldest until the spool fits maxBytes. */
  async prune(now = Date.now()): Promise<number> {
    const entries = await this.list();
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    let dropped = 0;
    for (const e of entries) {
      if (now - e.createdAt <= this.options.maxAgeMs && total <= this.options.maxBytes) break;
      await this.remove(e);
      total -= e.size;
      dropped++;
    }
    return dropped;
  }
}
