import { isoCreated } from './container-time.js';
import type { NormalizedReport } from './normalized.js';
import type { ReportInput } from './report.js';

/** A problem found after schema validation, in the FastAPI error-item shape. */
export interface ContractIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * False for text with a UTF-16 surrogate not paired with its partner: such
 * text has no UTF-8 form, so it cannot be stored or served. The method is
 * ES2024: Node 20 has it, the ES2022 lib this project compiles with does not.
 */
const wellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Paths of every string in `value` (object keys included) that is not
 * well-formed Unicode. It runs on every report, so it walks with one path
 * stack, allocates nothing per node and copies the path only for a string
 * that fails.
 */
function malformedStrings(value: unknown, path: (string | number)[], out: (string | number)[][]): void {
  if (typeof value === 'string') {
    if (!wellFormed(value)) out.push([...path]);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      malformedStrings(value[i], path, out);
      path.pop();
    }
    return;
  }
  for (const key in value) {
    path.push(key);
    if (!wellFormed(key)) out.push([...path]);
    malformedStrings((value as Record<string, unknown>)[key], path, out);
    path.pop();
  }
}

/** Path segments every URL parser removes, so such a host's pages and API paths could never be reached. */
const DOT_SEGMENTS = new Set(['.', '..']);

const LOAD_KEYS = [
  ['1m', 'one_min'],
  ['5m', 'five_min'],
  ['15m', 'fifteen_min'],
] as const;

/**
 * Turns a schema-valid report into the canonical shape: the original agent
 * may send load averages as `one_min`/`five_min`/`fifteen_min` and container
 * times in Go's format (made ISO 8601 here), and schema defaults cover
 * omitted optional fields. Returns the issues instead when a
 * load average is missing under both names, when a string is not
 * well-formed Unicode (JSON's `\ud800` escapes can make one), or when the
 * alias is `.` or `..`.
 */
export function normalizeReport(input: ReportInput): NormalizedReport | ContractIssue[] {
  const malformed: (string | number)[][] = [];
  malformedStrings(input, ['body'], malformed);
  const issues: ContractIssue[] = malformed.map((loc) => ({
    loc,
    msg: 'String must be well-formed Unicode (it holds a lone UTF-16 surrogate)',
    type: 'string_unicode',
  }));
  const loadavg = { '1m': 0, '5m': 0, '15m': 0 };
  const raw = input.cpu.loadavg;
  for (const [iso, legacy] of LOAD_KEYS) {
    const value = raw[iso] ?? raw[legacy];
    if (value === undefined) {
      issues.push({ loc: ['body', 'cpu', 'loadavg', iso], msg: 'Field required', type: 'missing' });
    } else {
      loadavg[iso] = value;
    }
  }
  if (DOT_SEGMENTS.has(input.server_alias)) {
    issues.push({
      loc: ['body', 'server_alias'],
      msg: "'.' and '..' cannot be host aliases: a URL path cannot hold them",
      type: 'value_error',
    });
  }
  if (issues.length > 0) return issues;
  const cpu: NormalizedReport['cpu'] = { percent: input.cpu.percent, loadavg };
  if (input.cpu.per_core) cpu.per_core = input.cpu.per_core;
  return {
    ...input,
    cpu,
    gpus: (input.gpus ?? []) as NormalizedReport['gpus'],
    // Ajv's defaults have filled each container's optional fields.
    containers: (input.containers ?? []).map(
      (c) => ({ ...c, created: isoCreated(c.created) }) as NormalizedReport['containers'][number],
    ),
    machine_type: input.machine_type ?? 'host',
    group: input.group ?? 'default',
    os: input.os ?? 'Unknown',
    labels: input.labels ?? [],
  };
}
