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
];

/** Brings the database to the newest schema; safe to run from several processes at once. */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!);
    }
    if (current < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
