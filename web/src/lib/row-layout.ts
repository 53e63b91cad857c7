/**
 * Where each row of the overview sits. Every row has a fixed height, so the
 * position of any of 1,000 rows is arithmetic, without rendering them: the
 * table renders only the rows in and near the viewport, and a tall body keeps
 * the scrollbar true to the whole list. Building a layout costs one step per
 * section (not per host), so a live update does not pay for the whole fleet.
 */
import type { HostStatus } from './api.js';

/** A group heading or a host, in display order. */
export type RowItem =
  { kind: 'group'; key: string; name: string; count: number } | { kind: 'host'; key: string; host: HostStatus };

interface Block {
  name: string;
  hosts: HostStatus[];
  /** Index of the block's first item (its heading, when it has one). */
  first: number;
  /** Offset of that item, px. */
  top: number;
  /** 1 when the block starts with a group heading. */
  head: 0 | 1;
}

/** The rows of the overview: items by index, their offsets, and the body's height. */
export interface RowLayout {
  count: number;
  /** Height of the whole body in px. */
  total: number;
  item: (index: number) => RowItem;
  top: (index: number) => number;
  /** Items that overlap [from, to) (px from the top of the body), as [start, end) indexes. */
  between: (from: number, to: number) => [number, number];
  /** The index of the item with this key, or -1. */
  indexOf: (key: string) => number;
}

/** Lays out sections (one unnamed section when not grouped) with fixed row heights. */
export function layoutRows(
  sections: { name: string; hosts: HostStatus[] }[],
  rowHeight: number,
  groupHeight: number,
): RowLayout {
  const blocks: Block[] = [];
  let first = 0;
  let top = 0;
  for (const s of sections) {
    const head = s.name === '' ? 0 : 1;
    blocks.push({ name: s.name, hosts: s.hosts, first, top, head });
    first += head + s.hosts.length;
    top += head * groupHeight + s.hosts.length * rowHeight;
  }
  const count = first;
  const total = top;

  /** The block holding item `index` (blocks are few: one, or one per group). */
  const blockOf = (index: number): Block => {
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (blocks[mid]!.first <= index) lo = mid;
      else hi = mid - 1;
    }
    return blocks[lo]!;
  };
  // A host may sit under several labels, so its key names its section too.
  const item = (index: number): RowItem => {
    const b = blockOf(index);
    const at = index - b.first - b.head;
    if (at < 0) return { kind: 'group', key: `g\u0000${b.name}`, name: b.name, count: b.hosts.length };
    const host = b.hosts[at]!;
    return { kind: 'host', key: `${b.name}\u0000${host.server_alias}`, host };
  };
  const top_ = (index: number): number => {
    const b = blockOf(index);
    const at = index - b.first;
    return at < b.head ? b.top : b.top + b.head * groupHeight + (at - b.head) * rowHeight;
  };
  /** The last item whose top is at or above `y`. */
  const indexAt = (y: number): number => {
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (blocks[mid]!.top <= y) lo = mid;
      else hi = mid - 1;
    }
    const b = blocks[lo]!;
    const below = y - b.top - b.head * groupHeight;
    if (below < 0) return b.first;
    return Math.min(b.first + b.head + Math.floor(below / rowHeight), b.first + b.head + b.hosts.length - 1);
  };
  const between = (from: number, to: number): [number, number] => {
    if (count === 0 || to <= 0 || from >= total || to <= from) return [0, 0];
    const start = indexAt(Math.max(0, from));
    let end = indexAt(to);
    if (top_(end) < to) end++;
    return [start, Math.min(end, count)];
  };
  const indexOf = (key: string): number => {
    for (let i = 0; i < count; i++) if (item(i).key === key) return i;
    return -1;
  };
  return { count, total, item, top: top_, between, indexOf };
}
