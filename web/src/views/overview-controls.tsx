/** Text, status and label filters and the grouping choice of the overview. */
import { isolate } from '../lib/bidi.js';
import type { GroupBy, Query, StatusFilter } from '../lib/fleet-query.js';

export function OverviewControls(props: { query: Query; labels: string[]; onChange: (patch: Partial<Query>) => void }) {
  const { query, labels, onChange } = props;
  return (
    <form class="controls" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Filter</span>
        <input
          type="search"
          aria-label="Filter"
          placeholder="host, user, job, container…"
          value={query.text}
          onInput={(e) => onChange({ text: e.currentTarget.value })}
        />
      </label>
      <label>
        <span>Status</span>
        <select
          aria-label="Status"
          value={query.status}
          onChange={(e) => onChange({ status: e.currentTarget.value as StatusFilter })}
        >
          <option value="all">all</option>
          <option value="up">up</option>
          <option value="down">down</option>
        </select>
      </label>
      <label>
        <span>Label</span>
        <select aria-label="Label" value={query.label} onChange={(e) => onChange({ label: e.currentTarget.value })}>
          <option value="">any</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {isolate(l)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Group by</span>
        <select
          aria-label="Group by"
          value={query.groupBy}
          onChange={(e) => onChange({ groupBy: e.currentTarget.value as GroupBy })}
        >
          <option value="none">nothing</option>
          <option value="group">group</option>
          <option value="label">label</option>
        </select>
      </label>
    </form>
  );
}
