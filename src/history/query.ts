/**
 * Answers history queries from a Store: parse the range, plan the tier,
 * read rows, shape columns. Problems a client can fix throw QueryError.
 */
import type { HostRecord, Store } from '../store/store.js';
import { bucketColumns, bucketGrid, columnsJson, combineColumns, keysOf, rawColumns, type Columns } from './columns.js';
import { MAX_POINTS, parseTimeParam, planQuery, type QueryPlan } from './plan.js';
import { expandSelectors, FLEET_INSTANCE_SERIES, HOST_SERIES, metricOf, parseSelectors, selectorProblem, selects } from './series.js';
import type { HistoryResponse } from './api-schema.js';
import type { HistoryRow } from './types.js';

/** A request a client can correct; becomes a 422. */
export class QueryError extends Error {}

/** The parsed query string. */
export interface HistoryRange { from: number; to: number; step?: number; selectors: string[] }

const MAX_SELECTORS = 100;

/** Parses metrics/from/to/step with the defaults of docs/api-plan.md. */
export function parseRange(query: { metrics?: string; from?: string; to?: string; step?: string }, nowSec: number): HistoryRange {
  const from = parseTimeParam(query.from ?? '-1h', nowSec);
  const to = parseTimeParam(query.to ?? 'now', nowSec);
  if (from === undefined) throw new QueryError(`Cannot read from=${JSON.stringify(query.from)}`);
  if (to === undefined) throw new QueryError(`Cannot read to=${JSON.stringify(query.to)}`);
  if (from > to) throw new QueryError('from must not be after to');
  const selectors = parseSelectors(query.metrics);
  if (selectors.length === 0) throw new QueryError('metrics names no series');
  if (selectors.length > MAX_SELECTORS) throw new QueryError(`At most ${MAX_SELECTORS} metrics per query`);
  for (const s of selectors) {
    const problem = selectorProblem(s);
    if (problem) throw new QueryError(problem);
  }
  const step = query.step === undefined ? undefined : Number(query.step);
  if (step !== undefined && step < 1) throw new QueryError('step must be at least 1 second');
  return { from, to, selectors, ...(step === undefined ? {} : { step }) };
}

/** One host's history, or undefined when the host is unknown. */
export async function hostHistory(store: Store, alias: string, range: HistoryRange, nowMs: number): Promise<HistoryResponse | undefined> {
  if (!(await store.getHost(alias))) return undefined;
  const plan = planQuery(store.historyTiers(), range, Math.floor(nowMs / 1000));
  const grid = bucketGrid(range.from, range.to, plan.bucket);
  const readFrom = plan.rawAllowed ? range.from : grid[0]!;
  const wanted = (k: string) => range.selectors.some((s) => selects(s, k));
  const rows = await readRows(store, alias, plan, readFrom, range.to, wanted);
  const keys = expandSelectors(range.selectors, keysOf(rows, wanted));
  const raw = plan.rawAllowed && rows.length <= MAX_POINTS;
  const columns = raw ? rawColumns(rows, keys) : bucketColumns(rows, keys, grid, plan.bucket);
  return answer(alias, range, plan, raw, columns, keys);
}

/**
 * The fleet aggregate over hosts matching a group or label (all when
 * neither): host series averaged over hosts, gpu.util / gpu.mem over every GPU.
 */
export async function fleetHistory(
  store: Store, hosts: readonly HostRecord[], filter: { group?: string; label?: string }, range: HistoryRange, nowMs: number,
): Promise<HistoryResponse> {
  const allowed = new Set<string>([...HOST_SERIES, ...FLEET_INSTANCE_SERIES]);
  for (const s of range.selectors) {
    if (!allowed.has(s)) throw new QueryError(`The fleet aggregate has only ${[...allowed].join(', ')}; got '${s}'`);
  }
  const matching = hosts.filter((h) => (filter.group === undefined || h.report.group === filter.group)
    && (filter.label === undefined || h.report.labels.includes(filter.label)));
  const plan = planQuery(store.historyTiers(), { ...range, fleet: true }, Math.floor(nowMs / 1000));
  const grid = bucketGrid(range.from, range.to, plan.bucket);
  const wanted = (key: string) => range.selectors.includes(metricOf(key))
    && (key === metricOf(key) || (FLEET_INSTANCE_SERIES as readonly string[]).includes(metricOf(key)));
  const parts: Columns[] = [];
  for (const host of matching) {
    const rows = await readRows(store, host.alias, plan, grid[0]!, range.to, wanted);
    parts.push(bucketColumns(rows, keysOf(rows, wanted), grid, plan.bucket));
  }
  const columns = combineColumns(parts, grid, (key) => (wanted(key) ? metricOf(key) : undefined));
  return { ...answer(null, range, plan, false, columns, range.selectors), hosts: matching.length };
}

/**
 * The tier's rows, then raw rows for the stretch the tier has not rolled up
 * yet (the last minutes or hour), so an answer from a rollup tier is as
 * fresh as the raw one. Rows of both kinds fold alike in bucketColumns.
 */
async function readRows(store: Store, alias: string, plan: QueryPlan, from: number, to: number, wanted: (key: string) => boolean): Promise<HistoryRow[]> {
  const read = (tier: string, a: number, b: number) => store.readHistory(alias, tier, a, b, wanted);
  const rows = (await read(plan.tier.name, from, to)) ?? [];
  if (plan.tier.width === 0) return rows;
  const last = rows[rows.length - 1];
  const tailFrom = last ? last.t + plan.tier.width : from;
  if (tailFrom > to) return rows;
  const tail = (await read(store.historyTiers()[0]!.name, tailFrom, to)) ?? [];
  return tail.length === 0 ? rows : rows.concat(tail);
}

function answer(alias: string | null, range: HistoryRange, plan: QueryPlan, raw: boolean, columns: Columns, keys: readonly string[]): HistoryResponse {
  return { alias, from: range.from, to: range.to, tier: plan.tier.name, step: raw ? null : plan.bucket, ...columnsJson(columns, keys) };
}
