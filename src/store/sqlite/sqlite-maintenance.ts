/**
 * The SQLite store's background work: the maintenance thread, run by the
 * one process that holds the lease (maintenance-lease.ts). Every process
 * sharing the file runs this; the others check the lease on each renewal
 * and take over when its holder is gone.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import type { MaintenanceLog } from '../../history/maintenance/maintenance-job.js';
import type { Tier } from '../../history/tiers.js';
import type { Maintenance } from '../store.js';
import { MaintenanceLease } from './maintenance-lease.js';
import { MaintenanceSupervisor, type MaintenanceSupervisorOptions } from './maintenance-supervisor.js';

/** How the SQLite store runs maintenance. */
export interface SqliteMaintenanceOptions extends MaintenanceSupervisorOptions {
  /** How long a lease lasts unless renewed, ms (default 30 s): the longest a dead holder's work waits. */
  leaseMs?: number;
  /** How often the lease is renewed, or looked at by processes without it, ms (default 5 s). */
  renewEveryMs?: number;
  /** Wall clock shared by the processes, ms (default Date.now). */
  now?: () => number;
  /** Pause between rounds once caught up, ms (the job's default when omitted). */
  idleMs?: number;
}

export class SqliteMaintenance implements Maintenance {
  private readonly lease: MaintenanceLease;
  private supervisor: MaintenanceSupervisor | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The renewal in progress; renewals never overlap. */
  private turn: Promise<void> = Promise.resolve();
  private stopped = false;

  private readonly file: string;

  private constructor(
    db: Database.Database,
    private readonly tiers: readonly Tier[],
    private readonly log: MaintenanceLog,
    private readonly options: SqliteMaintenanceOptions,
  ) {
    this.file = db.name;
    this.lease = new MaintenanceLease(
      db,
      `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      options.leaseMs ?? 30_000,
      options.now,
    );
  }

  /** Takes the lease if it is free and starts the thread; resolves once that first try is done. */
  static async start(
    db: Database.Database,
    tiers: readonly Tier[],
    log: MaintenanceLog,
    options: SqliteMaintenanceOptions = {},
  ): Promise<SqliteMaintenance> {
    const maintenance = new SqliteMaintenance(db, tiers, log, options);
    await maintenance.renew();
    maintenance.timer = setInterval(() => void maintenance.renew(), options.renewEveryMs ?? 5_000);
    maintenance.timer.unref();
    return maintenance;
  }

  /** True while this process holds the lease and runs the thread. */
  get running(): boolean {
    return this.supervisor !== undefined;
  }

  /** The supervisor of the running thread (tests look at what it runs). */
  get thread(): MaintenanceSupervisor | undefined {
    return this.supervisor;
  }

  /** Renews or takes the lease, starting or stopping the thread to match. */
  renew(): Promise<void> {
    this.turn = this.turn
      .then(async () => {
        if (this.stopped) return;
        const held = this.lease.hold();
        if (held && !this.supervisor) {
          this.supervisor = await MaintenanceSupervisor.start(
            {
              file: this.file,
              tiers: this.tiers,
              ...(this.options.idleMs === undefined ? {} : { idleMs: this.options.idleMs }),
            },
            this.log,
            this.options,
          );
          this.log.debug({ holder: this.lease.holder }, 'history maintenance started here');
        } else if (!held && this.supervisor) {
          this.log.debug({ holder: this.lease.holder }, 'history maintenance lease lost; stopping here');
          await this.supervisor.stop();
          this.supervisor = undefined;
        }
      })
      .catch((err: unknown) => {
        this.log.error({ err }, 'history maintenance lease check failed');
      });
    return this.turn;
  }

  /** Stops the thread (the batch in progress finishes) and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.turn;
    await this.supervisor?.stop();
    this.supervisor = undefined;
    this.lease.release(); // also when the thread had failed to start: another process need not wait for the lease to expire
  }
}
