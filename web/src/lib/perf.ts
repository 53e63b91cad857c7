/**
 * In-browser timings read by bench/dashboard.ts: when the overview first
 * drew the whole fleet, and how long each live update took from the event's
 * arrival to a laid-out page. Cheap enough to leave on.
 */
interface PerfLog {
  /** When the first /api/status answer was parsed, ms since navigation. */
  dataAt: number | null;
  firstRender: number | null;
  updates: number[];
  pending: number | null;
}

declare global {
  interface Window { __fleetwatchPerf?: PerfLog }
}

const log: PerfLog = (window.__fleetwatchPerf = { dataAt: null, firstRender: null, updates: [], pending: null });

/** Called when a status snapshot has been parsed. */
export function dataArrived(): void {
  log.dataAt ??= performance.now();
}

/** Called when a live event arrives. */
export function updateStarted(): void {
  log.pending ??= performance.now();
}

/** Called after the overview committed a render; forces layout so the cost is included. */
export function overviewRendered(hostCount: number): void {
  if (log.firstRender === null && hostCount > 0) {
    void document.body.offsetHeight;
    log.firstRender = performance.now();
    performance.mark('fleetwatch:overview-rendered');
  }
  if (log.pending !== null) {
    void document.body.offsetHeight;
    log.updates.push(performance.now() - log.pending);
    log.pending = null;
  }
}
