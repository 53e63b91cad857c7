/**
 * WAL checkpoints from the background thread's connection, so that the
 * serving connection seldom runs one. SQLite's automatic checkpoint runs
 * inside the COMMIT that crossed `wal_autocheckpoint`, on the event loop:
 * it copies thousands of pages into the database file and fsyncs the WAL
 * and the database while every request waits. Here the same copy happens on
 * another thread, in PASSIVE mode (it never waits for, or blocks, a writer),
 * shortly after other connections committed. The serving connection keeps
 * its automatic checkpoint as a safety net for when this one falls behind.
 *
 * The WAL only starts over from its beginning when a checkpoint has copied
 * every frame and the next write transaction begins after that; a pass that
 * could not copy everything (writes landed meanwhile) is followed by a few
 * more, each copying only what is new, so under steady load one of them
 * ends between two commits and the WAL stays short.
 *
 * Durability is unchanged: a checkpoint syncs the WAL before copying and the
 * database before it records the copy, and writes are acknowledged only
 * once their WAL frames are on disk (wal-sync.ts).
 */
import type Database from 'better-sqlite3';

interface CheckpointResult { busy: number; log: number; checkpointed: number }

/** Passes per round when a pass could not copy every frame. */
const MAX_PASSES = 3;

export class WalCheckpointer {
  private readonly stmt;
  private lastVersion: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(db: Database.Database, private readonly intervalMs = 100) {
    this.stmt = {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      checkpoint: db.prepare<[], CheckpointResult>('PRAGMA wal_checkpoint(PASSIVE)'),
    };
  }

  /** Runs a round every `intervalMs`; a failed round is reported to `onError` and the next one tries again. */
  start(onError: (err: unknown) => void): void {
    this.timer ??= setInterval(() => {
      try {
        this.round();
      } catch (err) {
        onError(err);
      }
    }, this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Checkpoints if another connection committed since the last round;
   * returns the passes run (0: nothing new). This connection's own commits
   * are left to its automatic checkpoint.
   */
  round(): number {
    const version = this.stmt.dataVersion.get()!;
    if (version === this.lastVersion) return 0;
    this.lastVersion = version;
    let passes = 0;
    while (passes < MAX_PASSES) {
      passes++;
      const result = this.stmt.checkpoint.get()!;
      // busy: another connection holds the checkpoint lock; try next round. A pass that stopped short (a reader
      // still needs old frames, or writes landed meanwhile) is followed by another.
      if (result.busy !== 0 || result.checkpointed >= result.log) break;
    }
    return passes;
  }
}
