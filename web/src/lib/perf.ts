/**
 * In-browser timings read by bench/dashboard.ts: when the overview first
 * showed the fleet (every row on screen rendered and laid out; the table is
 * windowed, so rows below the screen are rendered as they scroll in), and how
 * long each live update took from the event's arrival to a laid-out page.
 * Off unless a benchmark asks (`?perf=1` in the page's URL, or
 * localStorage `fleetwatch:perf` = `1`): measuring forces a synchronous
 * layout on every live update, a cost no dashboard in use should pay.
 */
interface PerfLog {
  /** When the first /api/status answer was parsed, ms since navigation. */
  dataAt: number | null;
  /** When the overview first rendered hosts and was laid out, ms since navigation. */
  firstRender: number | null;
  /** Whether, at that moment, every part of the screen the table covers showed a row (checked after the clock stopped). */
  firstCovered: boolean | null;
  /** Host rows in the DOM at that moment. */
  firstRows: number | null;
  updates: number[];
  pending: number | null;
}

declare global {
  interface Window {
    __fleetwatchPerf?: PerfLog;
  }
}

/** Whether this page was opened by a benchmark that reads the timings. */
function requested(): boolean {
  if (new URLSearchParams(location.search).get('perf') === '1') return true;
  try {
    return localStorage.getItem('fleetwatch:perf') === '1';
  } catch {
    return false; // storage blocked (privacy settings): no benchmark set it
  }
}

const log: PerfLog | undefined = requested()
  ? (window.__fleetwatchPerf = {
      dataAt: null,
      firstRender: null,
      firstCovered: null,
      firstRows: null,
      updates: [],
      pending: null,
    })
  : undefined;

/** Called when a status snapshot has been parsed. */
export function dataArrived(): void {
  if (log) log.dataAt ??= performance.now();
}

/** Called when a live event arrives. */
export function updateStarted(): void {
  if (log) log.pending ??= performance.now();
}

/** Whether the table body's on-screen part shows a row everywhere, sampled every 16 px (rows are at least 34 px tall). */
function screenCovered(): boolean {
  const body = document.querySelector('table.hosts tbody');
  if (!body) return false;
  const box = body.getBoundingClientRect();
  const x = box.left + Math.min(40, box.width / 2);
  for (let y = Math.max(box.top, 0) + 1; y < Math.min(box.bottom, window.innerHeight); y += 16) {
    if (!document.elementFromPoint(x, y)?.closest('tr.host, tr.group-row')) return false;
  }
  return true;
}

/** Called after the overview committed a render; forces layout so the cost is included. */
export function overviewRendered(hostCount: number): void {
  if (!log) return;
  if (log.firstRender === null && hostCount > 0) {
    void document.body.offsetHeight;
    log.firstRender = performance.now();
    performance.mark('fleetwatch:overview-rendered');
    log.firstRows = document.querySelectorAll('tr.host').length;
    log.firstCovered = screenCovered();
  }
  if (log.pending !== null) {
    void document.body.offsetHeight;
    log.updates.push(performance.now() - log.pending);
    log.pending = null;
  }
}
