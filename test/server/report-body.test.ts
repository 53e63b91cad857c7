/**
 * The report body's two paths: a canonical body's text is stored as it
 * arrived, any other body is stored normalized. Whichever path a body takes,
 * the stored report is the same: what normalizing the leniently validated
 * body gives.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeReport, Report, type ReportInput } from '../../src/contract/index.js';
import { isCanonicalReport } from '../../src/server/routes/report-body.js';
import { AJV_OPTIONS } from '../../src/server/ajv-options.js';
import { hostReport } from '../../bench/fleet.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { legacyAgentReport, makeReport } from '../helpers/reports.js';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const post = (payload: string) =>
  t.app.inject({ method: 'POST', url: '/api/report', headers: { ...AUTH, 'content-type': 'application/json' }, payload });

/** The hosts row's report column, as SQLite holds it. */
const storedText = (alias: string): string =>
  (t.store.db.prepare('SELECT report FROM hosts WHERE alias = ?').pluck().get(alias) as string);

/** A report with every defaulted field present, as the Fleetwatch agent sends it. */
function canonicalReport(alias: string): ReportInput {
  const report = makeReport(alias);
  for (const gpu of report.gpus!) {
    Object.assign(gpu, { uuid: `GPU-${alias}`, power_limit_watts: 350 });
    for (const p of gpu.processes!) p.container = null;
  }
  return report;
}

/** The reference: the lenient schema's validation (defaults, unknown fields dropped), then normalizeReport. */
const lenient = AjvCompiler()({}, { customOptions: AJV_OPTIONS, plugins: [] })({ schema: Report });
function expectedStored(body: unknown): unknown {
  const copy = structuredClone(body);
  expect(lenient(copy)).toBe(true);
  return normalizeReport(copy as ReportInput);
}

describe('report body', () => {
  it('keeps a canonical body\'s text as it arrived, whitespace included', async () => {
    const text = JSON.stringify(canonicalReport('canon-1'), null, 1);
    expect((await post(text)).statusCode).toBe(200);
    expect(storedText('canon-1')).toBe(text);
    expect((await t.store.getHost('canon-1'))!.report).toEqual(expectedStored(JSON.parse(text)));
  });

  it('stores any other body normalized: defaults filled, load keys renamed, unknown fields gone', async () => {
    const body = { ...legacyAgentReport('legacy-1'), from_the_future: { nested: [1, 2] } };
    const text = JSON.stringify(body);
    expect((await post(text)).statusCode).toBe(200);
    const stored = storedText('legacy-1');
    expect(stored).not.toBe(text);
    expect(stored).not.toContain('from_the_future');
    expect(stored).not.toContain('one_min');
    expect(JSON.parse(stored)).toEqual(expectedStored(body));
  });

  it('tells canonical reports from the rest', () => {
    expect(isCanonicalReport(canonicalReport('a'))).toBe(true);
    expect(isCanonicalReport(hostReport(0))).toBe(true); // the benchmark's fleet sends what the agent sends
    expect(isCanonicalReport(makeReport('a'))).toBe(false); // GPUs without uuid and power limit
    expect(isCanonicalReport(legacyAgentReport('a'))).toBe(false);
    expect(isCanonicalReport({ ...canonicalReport('a'), extra: 1 })).toBe(false);
    const legacyLoad = canonicalReport('a');
    legacyLoad.cpu.loadavg = { one_min: 1, five_min: 1, fifteen_min: 1 };
    expect(isCanonicalReport(legacyLoad)).toBe(false);
  });

  it('stores the same report whichever path a body takes', async () => {
    const optional = ['gpus', 'containers', 'machine_type', 'group', 'os', 'labels'] as const;
    await fc.assert(fc.asyncProperty(
      fc.nat({ max: 999 }), fc.subarray([...optional]), fc.boolean(), fc.boolean(), fc.boolean(),
      async (i, dropped, legacyLoad, unknownField, dropGpuDefaults) => {
        const alias = `prop-${i}`;
        const body = hostReport(i) as unknown as Record<string, any>;
        body.server_alias = alias;
        for (const key of dropped) delete body[key];
        if (legacyLoad) body.cpu.loadavg = { one_min: 1, five_min: 2, fifteen_min: 3 };
        if (unknownField) body.disks[0].inode_percent = 3;
        if (dropGpuDefaults) for (const g of body.gpus ?? []) delete g.power_limit_watts;
        const text = JSON.stringify(body);
        const res = await post(text);
        expect(res.statusCode, res.body).toBe(200);
        expect(JSON.parse(storedText(alias))).toEqual(expectedStored(body));
        expect((await t.store.getHost(alias))!.report).toEqual(expectedStored(body));
        // Verbatim exactly when nothing had to change.
        expect(storedText(alias) === text).toBe(isCanonicalReport(body));
      }), { numRuns: 60 });
  });

  it('still reports every problem of an invalid body', async () => {
    const body = canonicalReport('bad') as unknown as Record<string, any>;
    body.cpu.percent = 'high';
    body.uptime_seconds = -1;
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail.map((d: { loc: (string | number)[] }) => d.loc.join('.')).sort()).toEqual(['body.cpu.percent', 'body.uptime_seconds']);
  });
});
