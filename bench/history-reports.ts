/** Normalized fleet reports for the history benchmark. */
import { normalizeReport, type NormalizedReport } from '../src/contract/index.js';
import { hostReport } from './fleet.js';

/** The fleet report of host i, normalized, stamped at ms. */
export function normalized(i: number, ms: number): NormalizedReport {
  const r = normalizeReport(hostReport(i, undefined, new Date(ms).toISOString()));
  if (Array.isArray(r)) throw new Error('fleet report does not normalize');
  return r;
}
