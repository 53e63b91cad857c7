/**
 * What the fleet filter's text matches in a host, and which field it was, so
 * the row can say why it is listed ("GPU user: carol"). Written once here:
 * the overview's filter, its live patching and the row's hint all use it.
 */
import type { HostStatus } from './api.js';

/** A field the fleet filter searches, as the row's hint names it. */
export type MatchField =
  | 'alias'
  | 'hostname'
  | 'IP'
  | 'group'
  | 'label'
  | 'logged-in user'
  | 'GPU user'
  | 'container'
  | 'command'
  | 'GPU model'
  | 'OS';

/** The field that matched and its value. */
export interface HostMatch {
  field: MatchField;
  value: string;
}

/** Fields that the row shows beside the alias anyway: a hint for them would repeat the row. */
export const SHOWN_IN_ROW: ReadonlySet<MatchField> = new Set(['alias', 'hostname', 'IP']);

/** Every searched value of a host, in the order a match is reported: what the row shows first, then the people. */
function* fields(h: HostStatus): Generator<[MatchField, string]> {
  yield ['alias', h.server_alias];
  yield ['hostname', h.hostname];
  yield ['IP', h.ip];
  yield ['group', h.group];
  for (const l of h.labels) yield ['label', l];
  for (const u of h.users) yield ['logged-in user', u.name];
  for (const g of h.gpus) for (const p of g.processes) yield ['GPU user', p.username];
  for (const g of h.gpus) for (const p of g.processes) if (p.container) yield ['container', p.container];
  for (const g of h.gpus) for (const p of g.processes) yield ['command', p.cmd];
  for (const g of h.gpus) yield ['GPU model', g.name];
  yield ['OS', h.os];
}

/** Lower-cases and trims what the user typed, once per query rather than once per host. */
export function needleOf(text: string): string {
  return text.trim().toLowerCase();
}

/** The first field of `h` that contains `needle` (from needleOf), or null; an empty needle matches every host. */
export function matchHost(h: HostStatus, needle: string): HostMatch | null {
  if (needle === '') return { field: 'alias', value: h.server_alias };
  for (const [field, value] of fields(h)) if (value.toLowerCase().includes(needle)) return { field, value };
  return null;
}

/** A long value cut to the part around the match, so a command's matching words are on screen. */
export function excerpt(value: string, needle: string, room = 48): string {
  if (value.length <= room) return value;
  const at = Math.max(0, value.toLowerCase().indexOf(needle));
  const from = Math.max(0, Math.min(at - 12, value.length - room));
  return `${from > 0 ? '…' : ''}${value.slice(from, from + room)}${from + room < value.length ? '…' : ''}`;
}
