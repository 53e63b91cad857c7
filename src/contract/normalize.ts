import type { NormalizedReport, ReportInput } from './report.js';

/** A problem found after schema validation, in the FastAPI error-item shape. */
export interface ContractIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const LOAD_KEYS = [['1m', 'one_min'], ['5m', 'five_min'], ['15m', 'fifteen_min']] as const;

/**
 * Turns a schema-valid report into the canonical shape: the original agent
 * may send load averages as `one_min`/`five_min`/`fifteen_min`, and schema
 * defaults cover omitted optional fields. Returns the issues instead when a
 * load average is missing under both names.
 */
export function normalizeReport(input: ReportInput): NormalizedReport | ContractIssue[] {
  const issues: ContractIssue[] = [];
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
  if (issues.length > 0) return issues;
  const cpu: NormalizedReport['cpu'] = { percent: input.cpu.percent, loadavg };
  if (input.cpu.per_core) cpu.per_core = input.cpu.per_core;
  return {
    ...input,
    cpu,
    gpus: (input.gpus ?? []) as NormalizedReport['gpus'],
    containers: (input.containers ?? []) as NormalizedReport['containers'],
    machine_type: input.machine_type ?? 'host',
    group: input.group ?? 'default',
    os: input.os ?? 'Unknown',
    labels: input.labels ?? [],
  };
}
