/**
 * The history query engine: parse the range, plan the tier, read rows
 * through a HistoryReader, shape columns. It knows no backend: a store runs
 * it where it suits it (the SQLite store on threads of its own, see
 * Store.queryHistory). Problems a client can fix throw QueryError.
 */
import {
  bucketColumns,
  bucketGrid,
  columnsJson,
  ColumnsCombiner,
  keysOf,
  rawColumns,
  type Columns,
} from './columns.js';
import { breakSilences, silencesBefore } from './gaps.js';
import {
  DEFAULT_MAX_CELLS,
  MAX_POINTS,
  MAX_STEP,
  parseTimeParam,
  planQuery,
  TIME_LIMITS,
  type QueryPlan,
} from './plan.js';
import {
  expandSelectors,
  FLEET_INSTANCE_SERIES,
  HOST_SERIES,
  metricOf,
  parseSelectors,
  selectorProblem,
  selects,
} from './series.js';
import type { HistoryResponse } from '../contract/history.js';
import type { Tier } from './tiers.js';
import type { HistoryRow, SeriesFilter } from './types.js';

/** A request a client can correct; becomes a 422. */
export class QueryError extends Error {}

/** What the engine reads: a backend's history reads (a Store has them too). */
export interface HistoryReader {
  /** The tiers stored, finest (raw) first. */
  historyTiers(): readonly Tier[];
  /** One host's rows of one tier with from <= t <= to, oldest first; undefined when the host has no history. */
  readHistory(
    alias: string,
    tier: string,
    from: number,
    to: number,
    wanted?: SeriesFilter,
  ): Promise<HistoryRow[] | undefined>;
}

/** The parsed query string. */
export interface HistoryRange {
  from: number;
  to: number;
  step?: number;
  selectors: string[];
}

/** One query as a backend receives it: plain data, so that it can be posted to a thread. */
export type HistoryQuery =
  | { kind: 'host'; alias: string; range: HistoryRange; nowMs: number }
  | { kind: 'fleet'; aliases: string[]; range: HistoryRange; nowMs: number };

/** Limits of every answer. */
export interface AnswerLimits {
  /** Most values (series × points) one answer may hold. */
  maxCells: number;
}

const MAX_SELECTORS = 100;
const FLEET_SERIES: readonly string[] = [...HOST_SERIES, ...FLEET_INSTANCE_SERIES];
const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** Parses metrics/from/to/step with the defaults of docs/api-plan.md; `fleet` also checks the selectors the aggregate has. */
export function parseRange(
  query: { metrics?: string; from?: string; to?: string; step?: string },
  nowSec: number,
  options: { fleet?: boolean } = {},
): HistoryRange {
  const from = timeParam('from', query.from ?? '-1h', nowSec);
  const to = timeParam('to', query.to ?? 'now', nowSec);
  if (from > to) throw new QueryError('from must not be after to');
  const selectors = parseSelectors(query.metrics);
  if (selectors.length === 0) throw new QueryError('metrics names no series');
  if (selectors.length > MAX_SELECTORS) throw new QueryError(`At most ${MAX_SELECTORS} metrics per query`);
  for (const s of selectors) {
    const problem = selectorProblem(s);
    if (problem) throw new QueryError(problem);
    if (options.fleet && !FLEET_SERIES.includes(s))
      throw new QueryError(`The fleet aggregate has only ${FLEET_SERIES.join(', ')}; got '${s}'`);
  }
  const step = query.step === undefined ? undefined : Number(query.step);
  if (step !== undefined && !(step >= 1 && step <= MAX_STEP))
    throw new QueryError(`step must be between 1 and ${MAX_STEP} seconds (10 years)`);
  return { from, to, selectors, ...(step === undefined ? {} : { step }) };
}

function timeParam(name: string, text: string, nowSec: number): number {
  const t = parseTimeParam(text, nowSec);
  if (t === undefined) throw new QueryError(`Cannot read ${name}=${JSON.stringify(text)}`);
  if (!(t >= TIME_LIMITS.min && t <= TIME_LIMITS.max)) {
    throw new QueryError(
      `${name}=${JSON.stringify(text)} lies outside ${isoDay(TIME_LIMITS.min)} to ${isoDay(TIME_LIMITS.max)}`,
    );
  }
  return t;
}

/** Answers one query. */
export function answerQuery(
  reader: HistoryReader,
  query: HistoryQuery,
  limits: AnswerLimits,
): Promise<HistoryResponse> {
  return query.kind === 'host'
    ? hostHistory(reader, query.alias, query.range, query.nowMs, limits)
    : fleetHistory(reader, query.aliases, query.range, query.nowMs, limits);
}

/** One host's history (empty columns when it has none); raw reports come back with a null point at each silence (gaps.ts). */
export async function hostHistory(
  reader: HistoryReader,
  alias: string,
  range: HistoryRange,
  nowMs: number,
  limits: AnswerLimits = { maxCells: DEFAULT_MAX_CELLS },
): Promise<HistoryResponse> {
  const plan = planQuery(reader.historyTiers(), range, Math.floor(nowMs / 1000));
  const grid = bucketGrid(range.from, range.to, plan.bucket);
  const readFrom = plan.rawAllowed ? range.from : grid[0]!;
  const wanted = (k: string) => range.selectors.some((s) => selects(s, k));
  const rows = await readRows(reader, alias, plan, readFrom, range.to, wanted);
  const keys = expandSelectors(range.selectors, keysOf(rows, wanted));
  const silences = plan.rawAllowed && rows.length <= MAX_POINTS ? silencesBefore(rows.map((r) => r.t)) : [];
  const raw = plan.rawAllowed && rows.length + silences.length <= MAX_POINTS;
  checkCells(keys.length, raw ? rows.length + silences.length : grid.length, limits);
  const columns = raw ? breakSilences(rawColumns(rows, keys), silences) : bucketColumns(rows, keys, grid, plan.bucket);
  return answer(alias, range, plan, raw, columns, keys);
}

/**
 * The fleet aggregate over the hosts `aliases`: host series averaged over
 * hosts, gpu.util / gpu.mem over every GPU.
 */
export async function fleetHistory(
  reader: HistoryReader,
  aliases: readonly string[],
  range: HistoryRange,
  nowMs: number,
  limits: AnswerLimits = { maxCells: DEFAULT_MAX_CELLS },
): Promise<HistoryResponse> {
  const plan = planQuery(reader.historyTiers(), { ...range, fleet: true }, Math.floor(nowMs / 1000));
  const grid = bucketGrid(range.from, range.to, plan.bucket);
  checkCells(range.selectors.length, grid.length, limits);
  const wanted = (key: string) =>
    range.selectors.includes(metricOf(key)) &&
    (key === metricOf(key) || (FLEET_INSTANCE_SERIES as readonly string[]).includes(metricOf(key)));
  const combined = new ColumnsCombiner(grid, (key) => (wanted(key) ? metricOf(key) : undefined));
  for (const alias of aliases) {
    const rows = await readRows(reader, alias, plan, grid[0]!, range.to, wanted);
    combined.add(bucketColumns(rows, keysOf(rows, wanted), grid, plan.bucket));
  }
  return { ...answer(null, range, plan, false, combined.columns(), range.selectors), hosts: aliases.length };
}

function checkCells(series: number, points: number, limits: AnswerLimits): void {
  if (series * points <= limits.maxCells) return;
  throw new QueryError(
    `The answer would hold ${series} series × ${points} points = ${series * points} values; ` +
      `at most ${limits.maxCells} are allowed (HISTORY_MAX_CELLS). Ask for fewer metrics or a larger step`,
  );
}

/**
 * The tier's rows, then raw rows for the stretch the tier has not rolled up
 * yet (the last minutes or hour), so an answer from a rollup tier is as
 * fresh as the raw one. Rows of both kinds fold alike in bucketColumns.
 */
async function readRows(
  reader: HistoryReader,
  alias: string,
  plan: QueryPlan,
  from: number,
  to: number,
  wanted: (key: string) => boolean,
): Promise<HistoryRow[]> {
  const read = (tier: string, a: number, b: number) => reader.readHistory(alias, tier, a, b, wanted);
  const rows = (await read(plan.tier.name, from, to)) ?? [];
  if (plan.tier.width === 0) return rows;
  const last = rows[rows.length - 1];
  const tailFrom = last ? last.t + plan.tier.width : from;
  if (tailFrom > to) return rows;
  const tail = (await read(reader.historyTiers()[0]!.name, tailFrom, to)) ?? [];
  return tail.length === 0 ? rows : rows.concat(tail);
}

function answer(
  alias: string | null,
  range: HistoryRange,
  plan: QueryPlan,
  raw: boolean,
  columns: Columns,
  keys: readonly string[],
): HistoryResponse {
  return {
    alias,
    from: range.from,
    to: range.to,
    tier: plan.tier.name,
    step: raw ? null : plan.bucket,
    ...columnsJson(columns, keys),
  };
}
