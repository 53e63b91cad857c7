/**
 * The small dictionaries history rows point into: host ids, series layouts
 * (the list of keys a row's values follow) and GPU process names. Layouts
 * and process names are never deleted, so caching them is safe in every
 * process; host ids are re-read whenever a host is new to `hosts`.
 *
 * The caches of layouts and process names are bounded: a server runs for
 * years, and every training run's command line, every container started
 * under a new name, is a new entry. A cache that reaches its bound is
 * emptied; what is still in use is read back once.
 */
import type Database from 'better-sqlite3';

/** How many entries each cache of the dictionaries holds at most. */
export interface DictCacheLimits {
  /** Layouts (default 10,000; a layout's keys can take a few KB). */
  layouts: number;
  /** GPU process names (default 100,000: more than the processes a 10,000-host fleet runs at once). */
  procs: number;
}

const DEFAULT_LIMITS: DictCacheLimits = { layouts: 10_000, procs: 100_000 };

/** A Map emptied whenever it is about to hold more than `limit` entries. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}

export class HistoryDict {
  private readonly hostIds = new Map<string, number>();
  private readonly layoutIds: BoundedMap<string, number>;
  /** The same ids by keys array: sampleReport hands one array to every report of an unchanged shape (never mutated). */
  private layoutIdsByArray = new WeakMap<readonly string[], number>();
  private readonly layoutKeys: BoundedMap<number, readonly string[]>;
  /** username → cmd → id: two look-ups by the strings as they are, no key string built per process. */
  private readonly procIds = new Map<string, Map<string, number>>();
  /** Entries in all of procIds' inner maps. */
  private procIdCount = 0;
  private readonly procNames: BoundedMap<number, { user: string; cmd: string }>;
  private readonly stmt;

  constructor(
    db: Database.Database,
    private readonly limits: DictCacheLimits = DEFAULT_LIMITS,
  ) {
    this.layoutIds = new BoundedMap(limits.layouts);
    this.layoutKeys = new BoundedMap(limits.layouts);
    this.procNames = new BoundedMap(limits.procs);
    this.stmt = {
      hostId: db.prepare<[string], { id: number }>('SELECT id FROM history_hosts WHERE alias = ?'),
      addHost: db.prepare<[string]>('INSERT OR IGNORE INTO history_hosts (alias) VALUES (?)'),
      hostIds: db.prepare<[], { id: number }>('SELECT id FROM history_hosts ORDER BY id'),
      layoutId: db.prepare<[string], { id: number }>('SELECT id FROM history_layouts WHERE keys = ?'),
      addLayout: db.prepare<[string]>('INSERT OR IGNORE INTO history_layouts (keys) VALUES (?)'),
      layout: db.prepare<[number], { keys: string }>('SELECT keys FROM history_layouts WHERE id = ?'),
      procId: db.prepare<[string, string], { id: number }>(
        'SELECT id FROM history_procs WHERE username = ? AND cmd = ?',
      ),
      addProc: db.prepare<[string, string]>('INSERT OR IGNORE INTO history_procs (username, cmd) VALUES (?, ?)'),
      proc: db.prepare<[number], { username: string; cmd: string }>(
        'SELECT username, cmd FROM history_procs WHERE id = ?',
      ),
    };
  }

  /**
   * The id of a host known to history, or undefined. Always read from the
   * database: another process may have deleted the host and given its alias
   * a new id since it was cached.
   */
  findHost(alias: string): number | undefined {
    return this.stmt.hostId.get(alias)?.id;
  }

  /** The id of a host, created when missing; `fresh` skips the cache (the host may have been deleted elsewhere). */
  hostId(alias: string, fresh: boolean): number {
    if (!fresh) {
      const cached = this.hostIds.get(alias);
      if (cached !== undefined) return cached;
    }
    this.stmt.addHost.run(alias);
    const id = this.stmt.hostId.get(alias)!.id;
    this.hostIds.set(alias, id);
    return id;
  }

  forgetHost(alias: string): void {
    this.hostIds.delete(alias);
  }

  /** Empties every cache; the next look-ups read the database again. */
  forgetAll(): void {
    for (const map of [this.hostIds, this.layoutIds, this.layoutKeys, this.procIds, this.procNames]) map.clear();
    this.procIdCount = 0;
    this.layoutIdsByArray = new WeakMap();
  }

  /** How many entries the bounded caches hold now (for tests). */
  cachedEntries(): { layoutIds: number; layoutKeys: number; procIds: number; procNames: number } {
    return {
      layoutIds: this.layoutIds.size,
      layoutKeys: this.layoutKeys.size,
      procIds: this.procIdCount,
      procNames: this.procNames.size,
    };
  }

  /** Every host id with history, ascending. */
  allHostIds(): number[] {
    return this.stmt.hostIds.all().map((r) => r.id);
  }

  layoutId(keys: readonly string[]): number {
    const known = this.layoutIdsByArray.get(keys);
    if (known !== undefined) return known;
    const text = JSON.stringify(keys);
    let id = this.layoutIds.get(text);
    if (id === undefined) {
      this.stmt.addLayout.run(text);
      id = this.stmt.layoutId.get(text)!.id;
      this.layoutIds.set(text, id);
    }
    this.layoutIdsByArray.set(keys, id);
    return id;
  }

  /** The keys of a layout; the same array object for every row that uses it. */
  layout(id: number): readonly string[] {
    let keys = this.layoutKeys.get(id);
    if (!keys) {
      const row = this.stmt.layout.get(id);
      keys = row ? (JSON.parse(row.keys) as string[]) : [];
      this.layoutKeys.set(id, keys);
    }
    return keys;
  }

  procId(user: string, cmd: string): number {
    let byCmd = this.procIds.get(user);
    if (!byCmd) this.procIds.set(user, (byCmd = new Map()));
    let id = byCmd.get(cmd);
    if (id === undefined) {
      this.stmt.addProc.run(user, cmd);
      id = this.stmt.procId.get(user, cmd)!.id;
      if (this.procIdCount >= this.limits.procs) {
        this.procIds.clear();
        this.procIds.set(user, (byCmd = new Map()));
        this.procIdCount = 0;
      }
      byCmd.set(cmd, id);
      this.procIdCount++;
    }
    return id;
  }

  proc(id: number): { user: string; cmd: string } {
    let name = this.procNames.get(id);
    if (!name) {
      const row = this.stmt.proc.get(id);
      name = { user: row?.username ?? '?', cmd: row?.cmd ?? '?' };
      this.procNames.set(id, name);
    }
    return name;
  }
}
