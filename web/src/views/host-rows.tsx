/**
 * The overview's table body, windowed: only rows in and near the viewport are
 * in the DOM, each at a fixed height and absolutely placed in a body as tall
 * as the whole list. So 1,000 hosts render as fast as 30, and a live update
 * re-renders and re-lays out one row. Scrolling renders the rest on demand.
 * The row that has the keyboard focus stays rendered even when scrolled away,
 * so Tab keeps walking the list (the browser scrolls each focused row into
 * view, which brings the next ones in).
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { HostStatus } from '../lib/api.js';
import { layoutRows } from '../lib/row-layout.js';
import { useMedia, useViewport } from '../lib/use-viewport.js';
import { HostRow } from './host-row.js';

/** Row heights in px; the phone layout shows each host as a taller card. Must fit the content (styles.css clips it). */
export const ROW_HEIGHT = { wide: 70, narrow: 324 } as const;
const GROUP_HEIGHT = 34;

/** The rows of `sections`; `needle` is the filter's text, for each row's hint of what matched it. */
export function HostRows(props: { sections: { name: string; hosts: HostStatus[] }[]; needle: string }) {
  const narrow = useMedia('(max-width: 760px)');
  const rowHeight = narrow ? ROW_HEIGHT.narrow : ROW_HEIGHT.wide;
  const layout = useMemo(() => layoutRows(props.sections, rowHeight, GROUP_HEIGHT), [props.sections, rowHeight]);
  const body = useRef<HTMLTableSectionElement>(null);
  const view = useViewport(body);
  const [focused, setFocused] = useState<string | null>(null);

  const [start, end] = layout.between(view.from, view.to);
  const shown: number[] = [];
  for (let i = start; i < end; i++) shown.push(i);
  if (focused !== null) {
    let inRange = false;
    for (let i = start; i < end && !inRange; i++) inRange = layout.item(i).key === focused;
    const at = inRange ? -1 : layout.indexOf(focused);
    if (at >= 0) shown.push(at);
  }

  const keyOf = (el: EventTarget | null) =>
    el instanceof Element ? (el.closest('tr[data-key]')?.getAttribute('data-key') ?? null) : null;
  return (
    <tbody
      ref={body}
      role="rowgroup"
      class="windowed"
      style={{ height: `${layout.total}px`, '--row-h': `${rowHeight}px`, '--group-h': `${GROUP_HEIGHT}px` }}
      onFocusIn={(e) => setFocused(keyOf(e.target))}
      onFocusOut={(e) => {
        if (!body.current?.contains(e.relatedTarget as Node | null)) setFocused(null);
      }}
    >
      {shown.map((i) => {
        const item = layout.item(i);
        const top = layout.top(i);
        if (item.kind === 'group') {
          return (
            <tr
              key={item.key}
              data-key={item.key}
              class="group-row"
              role="row"
              aria-rowindex={i + 2}
              style={{ top: `${top}px` }}
            >
              <th scope="rowgroup" role="rowheader">
                <bdi>{item.name}</bdi> <span class="muted">({item.count})</span>
              </th>
            </tr>
          );
        }
        return (
          <HostRow key={item.key} rowKey={item.key} host={item.host} top={top} index={i + 2} needle={props.needle} />
        );
      })}
    </tbody>
  );
}
