/** What a benchmark section module default-exports; bench/run.ts loads the sections by name. */
export interface BenchSection {
  /** Heading in BENCHMARKS.md. */
  title: string;
  /** Runs the measurements, printing progress to stderr; returns Markdown for BENCHMARKS.md. */
  run: (options: { quick: boolean }) => Promise<string>;
}
