import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order and recorded in PRAGMA user_version.
 * Append only: a released migration never changes.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE hosts (
     alias       TEXT PRIMARY KEY,
     seq         INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     report_time INTEGER NOT NULL,
     report      TEXT NOT NULL
   ) STRICT;
   CREATE INDEX hosts_seq ON hosts(seq);`,
  // 2: history (issue 5). Values are float32 blobs per row; see src/store/sqlite/history-*.ts.
  `CREATE TABLE history_hosts (id INTEGER PRIMARY KEY AUTOINCREMENT, alias TEXT NOT NULL UNIQUE) STRICT;
   CREATE TABLE history_layouts (id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE) STRICT;
   CREATE TABLE history_procs (id INTEGER PRIMARY KEY, username TEXT NOT NULL, cmd TEXT NOT NULL, UNIQUE (username, cmd)) STRICT;
   CREATE TABLE history_raw (
     host_id INTEGER NOT NULL, t INTEGER NOT NULL, layout INTEGER NOT NULL, vals BLOB NOT NULL, procs BLOB,
     PRIMARY KEY (host_id, t)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE history_rollup (
     host_id INTEGER NOT NULL, tier INTEGER NOT NULL, t INTEGER NOT NULL, layout INTEGER NOT NULL, n INTEGER NOT NULL,
     avg BLOB NOT NULL, max BLOB NOT NULL, cnt BLOB, procs BLOB,
     PRIMARY KEY (host_id, tier, t)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE history_state (tier INTEGER PRIMARY KEY, done_until INTEGER NOT NULL, host_cursor INTEGER NOT NULL DEFAULT 0) STRICT;
   CREATE TABLE history_dirty (host_id INTEGER NOT NULL, tier INTEGER NOT NULL, t INTEGER NOT NULL, PRIMARY KEY (host_id, tier, t)) STRICT, WITHOUT ROWID;`,
  // 3: compacted history. Old rows move from history_raw / history_rollup into one deflated,
  // quantized blob per host, tier and span (src/store/sqlite/history-chunks.ts); existing rows are
  // compacted by the background job. A rowid table, as chunk blobs are far larger than an index entry.
  // history_kept holds each tier's retention cut-off, which reads honour (chunks are dropped whole).
  `CREATE TABLE history_chunk (host_id INTEGER NOT NULL, tier INTEGER NOT NULL, t INTEGER NOT NULL, data BLOB NOT NULL) STRICT;
   CREATE UNIQUE INDEX history_chunk_key ON history_chunk (host_id, tier, t);
   CREATE TABLE history_kept (tier INTEGER PRIMARY KEY, kept_from INTEGER NOT NULL) STRICT;`,
  // 4: raw reports keyed by time first, so that the reports of one commit (many hosts, one moment) land
  // side by side at the end of the table instead of in one page per host; a small index serves per-host
  // reads. Rows are copied, nothing is lost.
  `CREATE TABLE history_raw_by_time (
     t INTEGER NOT NULL, host_id INTEGER NOT NULL, layout INTEGER NOT NULL, vals BLOB NOT NULL, procs BLOB,
     PRIMARY KEY (t, host_id)
   ) STRICT, WITHOUT ROWID;
   INSERT INTO history_raw_by_time (t, host_id, layout, vals, procs) SELECT t, host_id, layout, vals, procs FROM history_raw;
   DROP TABLE history_raw;
   ALTER TABLE history_raw_by_time RENAME TO history_raw;
   CREATE INDEX history_raw_host ON history_raw (host_id, t);`,
  // 5: a count of changes to hosts, bumped once by every transaction that writes hosts (SqliteStore's group
  // commit does it first in each), so that a reader can tell whether any process changed a host without listing
  // them all. PRAGMA data_version cannot: it also moves on every history commit of the maintenance thread, which then
  // cost each dashboard poll a rescan of the hosts.
  `CREATE TABLE hosts_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL) STRICT;
   INSERT INTO hosts_changes (id, n) VALUES (1, 0);`,
  // 6: which process runs history maintenance (maintenance-lease.ts): one row, held until expires_at (ms).
  `CREATE TABLE maintenance_lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT;`,
];

/**
 * Brings the database to the newest schema (or to schema `upTo`, for tests of
 * a migration); safe to run from several processes at once.
 */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < upTo; version++) {
      db.exec(MIGRATIONS[version]!);
    }
    if (current < upTo) db.pragma(`user_version = ${upTo}`);
  }).immediate();
}
