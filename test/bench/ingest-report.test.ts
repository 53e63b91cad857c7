/** The ingest benchmark's verdicts: judged on ratios within rounds, not best against best. */
import { describe, expect, it } from 'vitest';
import { ingestMarkdown, type Cell } from '../../bench/load/ingest-report.js';
import type { Measured } from '../../bench/load/plan.js';
import type { TargetKind } from '../../bench/load/targets.js';

const measured = (perSecond: number, p50: number): Measured => ({
  requests: 1000,
  perSecond,
  p50,
  p99: p50 * 3,
  max: p50 * 5,
  failures: 0,
  meanResponseBytes: 1000,
});

/** One cell: an ingest rate, and a status p50 for the servers that serve one. */
function cell(kind: TargetKind, round: number, rate: number, statusP50 = 1): Cell {
  const phases = [{ name: 'ingest', ingest: measured(rate, 5) }];
  if (kind !== 'fleetwatch-no-history' && kind !== 'framework-floor')
    phases.push({ name: 'status at rest', status: measured(500, statusP50) } as never);
  return { hosts: 1000, kind, round, peakRssMiB: 100, result: { seedSeconds: 1, hostsSeen: 1000, phases } };
}

const info = { rounds: 3, quick: false, ingestConnections: 64, loadAtStart: 1, build: 'test' };

describe('ingest benchmark verdicts', () => {
  it("judges the ingest target on the median of the rounds' ratios, and shows best against best beside it", () => {
    // Round 2 ran while the machine was slow for everyone: best against best would pair different moments.
    const cells = [
      cell('ceiling', 0, 10_000),
      cell('fleetwatch', 0, 4_800),
      cell('fleetwatch-no-history', 0, 6_200),
      cell('ceiling', 1, 6_000),
      cell('fleetwatch', 1, 3_300),
      cell('fleetwatch-no-history', 1, 4_000),
      cell('ceiling', 2, 9_000),
      cell('fleetwatch', 2, 4_700),
      cell('fleetwatch-no-history', 2, 6_500),
    ];
    const md = ingestMarkdown(cells, info);
    expect(md).toContain(
      "Ingest at 1,000 hosts ≥ 45% of the ceiling's rate (with validation and durable storage): **met** (median of the rounds' ratios 52.2%; rounds 48%, 55%, 52%; best against best 48%)",
    );
    expect(md).toContain(
      "ingest with history at 1,000 hosts ≥ 80% of the rate without it: **NOT met** (median of the rounds' ratios 77.4%; rounds 77%, 83%, 72%)",
    );
  });

  it('prints the median a verdict judged with one decimal, so a miss by a hair does not read as 45%', () => {
    const cells = [0, 1, 2].flatMap((round) => [cell('ceiling', round, 10_000), cell('fleetwatch', round, 4_490)]);
    expect(ingestMarkdown(cells, info)).toContain(
      "storage): **NOT met** (median of the rounds' ratios 44.9%; rounds 45%, 45%, 45%;",
    );
  });

  it('fails the status target when Fleetwatch takes over 1.2x the ceiling in most rounds', () => {
    const cells = [
      cell('ceiling', 0, 10_000, 1.0),
      cell('fleetwatch', 0, 5_000, 1.3),
      cell('ceiling', 1, 10_000, 1.0),
      cell('fleetwatch', 1, 5_000, 0.9),
      cell('ceiling', 2, 10_000, 1.0),
      cell('fleetwatch', 2, 5_000, 1.3),
    ];
    const md = ingestMarkdown(cells, info);
    expect(md).toContain(
      "within 1.2× the ceiling's p50: **NOT met** (median of the rounds' ratios 1.30× the ceiling's p50; rounds 1.30×, 0.90×, 1.30×; best against best 0.90×)",
    );
  });

  it('splits the distance to the ceiling at the framework floor, per round', () => {
    const cells = [
      cell('ceiling', 0, 10_000),
      cell('framework-floor', 0, 9_000),
      cell('fleetwatch', 0, 3_600),
      cell('ceiling', 1, 8_000),
      cell('framework-floor', 1, 8_000),
      cell('fleetwatch', 1, 4_000),
      cell('ceiling', 2, 10_000),
      cell('framework-floor', 2, 7_000),
      cell('fleetwatch', 2, 3_500),
    ];
    const md = ingestMarkdown(cells, info);
    expect(md).toContain('1,000 hosts: floor 90% of the ceiling (rounds 90%, 100%, 70%)');
    expect(md).toContain('1,000 hosts: Fleetwatch 50% of the floor (rounds 40%, 50%, 50%)');
    expect(md).toMatch(/\| 1,000 \| framework floor \(Fastify and the Report schema, in memory\) \| 9000 \|/);
  });

  it('says nothing of a floor in a run without one', () => {
    const md = ingestMarkdown([cell('ceiling', 0, 10_000), cell('fleetwatch', 0, 4_000)], info);
    expect(md).not.toContain('Where the distance lies');
  });
});
