/**
 * The small dictionaries history rows point into: host ids, series layouts
 * (the list of keys a row's values follow) and GPU process names. Layouts
 * and process names are never deleted, so caching them is safe in every
 * process; host ids are re-read whenever a host is new to `hosts`.
 */
import type Database from 'better-sqlite3';

export class HistoryDict {
  private readonly hostIds = new Map<string, number>();
  private readonly layoutIds = new Map<string, number>();
  private readonly layoutKeys = new Map<number, readonly string[]>();
  /** username → cmd → id: two look-ups by the strings as they are, no key string built per process. */
  private readonly procIds = new Map<string, Map<string, number>>();
  private readonly procNames = new Map<number, { user: string; cmd: string }>();
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      hostId: db.prepare<[string], { id: number }>('SELECT id FROM history_hosts WHERE alias = ?'),
      addHost: db.prepare<[string]>('INSERT OR IGNORE INTO history_hosts (alias) VALUES (?)'),
      hostIds: db.prepare<[], { id: number }>('SELECT id FROM history_hosts ORDER BY id'),
      layoutId: db.prepare<[string], { id: number }>('SELECT id FROM history_layouts WHERE keys = ?'),
      addLayout: db.prepare<[string]>('INSERT OR IGNORE INTO history_layouts (keys) VALUES (?)'),
      layout: db.prepare<[number], { keys: string }>('SELECT keys FROM history_layouts WHERE id = ?'),
      procId: db.prepare<[string, string], { id: number }>('SELECT id FROM history_procs WHERE username = ? AND cmd = ?'),
      addProc: db.prepare<[string, string]>('INSERT OR IGNORE INTO history_procs (username, cmd) VALUES (?, ?)'),
      proc: db.prepare<[number], { username: string; cmd: string }>('SELECT username, cmd FROM history_procs WHERE id = ?'),
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
  }

  /** Every host id with history, ascending. */
  allHostIds(): number[] {
    return this.stmt.hostIds.all().map((r) => r.id);
  }

  layoutId(keys: readonly string[]): number {
    const text = JSON.stringify(keys);
    let id = this.layoutIds.get(text);
    if (id === undefined) {
      this.stmt.addLayout.run(text);
      id = this.stmt.layoutId.get(text)!.id;
      this.layoutIds.set(text, id);
    }
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
    if (!byCmd) this.procIds.set(user, byCmd = new Map());
    let id = byCmd.get(cmd);
    if (id === undefined) {
      this.stmt.addProc.run(user, cmd);
      id = this.stmt.procId.get(user, cmd)!.id;
      byCmd.set(cmd, id);
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
