/** Wire shapes of the history API (docs/api-plan.md). */
import { Type, type Static } from 'typebox';

const TIME_FORMS = 'ISO 8601, unix seconds, `now`, or relative to now like `-1h`, `-30m`, `-7d`';
const TimeParam = (what: string) => Type.String({ maxLength: 64, description: `${what}. ${TIME_FORMS}` });

const common = {
  metrics: Type.Optional(
    Type.String({
      maxLength: 4000,
      description:
        'Comma-separated series selectors (default `cpu,mem`): `cpu`, `load1`, `gpu.util` (every GPU), `gpu.util:0`, `disk.pct:/`, `container.cpu:<name>`, ...',
    }),
  ),
  from: Type.Optional(TimeParam('Start (default `-1h`)')),
  to: Type.Optional(TimeParam('End (default `now`)')),
  step: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,9}$',
      description: 'Wanted seconds between points; the answer has at most 1000 points',
    }),
  ),
};

export const HostHistoryQuery = Type.Object(common);
export type HostHistoryQuery = Static<typeof HostHistoryQuery>;

export const FleetHistoryQuery = Type.Object({
  ...common,
  group: Type.Optional(Type.String({ maxLength: 255, description: 'Only hosts of this group' })),
  label: Type.Optional(Type.String({ maxLength: 255, description: 'Only hosts carrying this label' })),
});
export type FleetHistoryQuery = Static<typeof FleetHistoryQuery>;

/**
 * Series columns: an object of arrays of numbers or null. Declared without a JSON `type`, so the
 * response serializer hands them to JSON.stringify whole: checking each of thousands of values
 * against number|null took it three times as long. The wire shape is the same.
 */
const Columns = (description: string) =>
  Type.Unsafe<Record<string, (number | null)[]>>({
    description: `${description}. An object with one array per series key, aligned with \`timestamps\`; each value a number or null`,
  });

export const HistoryResponse = Type.Object({
  alias: Type.Union([Type.String(), Type.Null()], { description: 'The host, or null for a fleet aggregate' }),
  from: Type.Integer({ description: 'Unix seconds' }),
  to: Type.Integer({ description: 'Unix seconds' }),
  tier: Type.String({ description: '"raw", or the bucket width of the rollup tier that answered ("1m", "15m", "1h")' }),
  step: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Seconds per bucket; null for raw reports at their own times',
  }),
  timestamps: Type.Array(Type.Integer(), {
    description:
      'Unix seconds: report times, or bucket starts. Among raw reports, a silence (a spacing over twice the median spacing of ' +
      "the host's reports in the answer) gets one point of nulls at the time the next report was due, so charts break there",
  }),
  series: Columns('Averages per bucket, null for gaps'),
  max: Columns('Maxima per bucket (equal to series for raw reports)'),
  hosts: Type.Optional(Type.Integer({ description: 'Fleet aggregate only: hosts that matched' })),
});
export type HistoryResponse = Static<typeof HistoryResponse>;
