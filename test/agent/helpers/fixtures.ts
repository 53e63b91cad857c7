/** Reads the project's copies of real outputs (test/fixtures; never ../shared). */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export const fixture = (path: string) => readFileSync(`${FIXTURES}${path}`, 'utf8');
export const fixtureJson = <T = unknown>(path: string) => JSON.parse(fixture(path)) as T;
export const fixtureFiles = (dir: string) => readdirSync(`${FIXTURES}${dir}`).sort();

/** The sections of an nvidia_gpu_exporter capture file, keyed by their "# name" header line. */
export function captureSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/^#{80}\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = /^# (.*)$/m.exec(parts[i]!)?.[1];
    if (name) out.set(name.trim(), parts[i + 1]!);
  }
  return out;
}
