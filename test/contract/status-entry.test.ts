/**
 * The contract as clients see it through real routes: status entries as
 * output (both load key sets, the agent's version), container times made
 * ISO 8601 at ingest, protocol versions, and the OpenAPI that documents them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Value from 'typebox/value';
import {
  NormalizedReportSchema,
  PROTOCOL_TOO_NEW,
  PROTOCOL_VERSION,
  StatusResponse,
  type NormalizedReport,
} from '../../src/contract/index.js';
import { AUTH, testApp, type TestApp } from '../helpers/test-app.js';
import { legacyAgentReport, makeReport } from '../helpers/reports.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ now: () => Date.parse('2026-01-01T00:00:00Z') });
});
afterEach(async () => {
  await t.close();
});

const post = (body: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/report', headers: AUTH, payload: body as object });
const status = async () => {
  const body = (await t.app.inject({ method: 'GET', url: '/api/status' })).json();
  expect(Value.Check(StatusResponse, body), JSON.stringify(Value.Errors(StatusResponse, body))).toBe(true);
  return body.results as Record<string, any>[];
};

describe('status entries', () => {
  it('carry load averages under both names, whichever the agent sent', async () => {
    expect((await post(legacyAgentReport('legacy'))).statusCode).toBe(200);
    expect(
      (await post(makeReport('modern', { cpu: { percent: 5, loadavg: { '1m': 2.5, '5m': 2, '15m': 1.5 } } })))
        .statusCode,
    ).toBe(200);
    const [legacy, modern] = await status();
    expect(legacy!.cpu.loadavg).toEqual({
      '1m': 0.52,
      '5m': 0.48,
      '15m': 0.4,
      one_min: 0.52,
      five_min: 0.48,
      fifteen_min: 0.4,
    });
    expect(modern!.cpu.loadavg).toEqual({
      '1m': 2.5,
      '5m': 2,
      '15m': 1.5,
      one_min: 2.5,
      five_min: 2,
      fifteen_min: 1.5,
    });
  });

  it("show the Fleetwatch agent's version and protocol, and null for the original agent", async () => {
    await post(legacyAgentReport('legacy'));
    await post(makeReport('modern', { agent_version: '0.1.0', protocol_version: PROTOCOL_VERSION }));
    const [legacy, modern] = await status();
    expect([legacy!.agent_version, legacy!.protocol_version]).toEqual([null, null]);
    expect([modern!.agent_version, modern!.protocol_version]).toEqual(['0.1.0', PROTOCOL_VERSION]);
  });
});

describe('stored reports', () => {
  it('match the normalized schema, with the protocol recorded and container times in ISO 8601', async () => {
    await post(legacyAgentReport('legacy'));
    await post(makeReport('modern', { protocol_version: PROTOCOL_VERSION }));
    for (const alias of ['legacy', 'modern']) {
      const report: NormalizedReport = (await t.store.getHost(alias))!.report;
      expect(
        Value.Check(NormalizedReportSchema, report),
        JSON.stringify(Value.Errors(NormalizedReportSchema, report)),
      ).toBe(true);
    }
    expect((await t.store.getHost('modern'))!.report.protocol_version).toBe(PROTOCOL_VERSION);
    expect((await t.store.getHost('legacy'))!.report).not.toHaveProperty('protocol_version');
    // What `docker ps` printed, `2025-11-05 08:00:00 +0000 UTC`, reaches clients in a form Date.parse reads.
    const containers = (await t.app.inject({ method: 'GET', url: '/api/docker/legacy/containers' })).json();
    expect(containers.map((c: { created: string }) => c.created)).toEqual([
      '2025-11-05T08:00:00.000Z',
      '2025-10-01T10:00:00.000Z',
    ]);
  });

  it('keep a container time no parser reads as it was sent', async () => {
    const report = makeReport('odd');
    await post({ ...report, containers: [{ ...report.containers![0]!, created: 'Up 3 hours' }] });
    expect((await t.app.inject({ method: 'GET', url: '/api/docker/odd/containers' })).json()[0].created).toBe(
      'Up 3 hours',
    );
  });
});

describe('protocol versions', () => {
  it('refuse a report of a newer protocol with a 422 that says to upgrade the server, and store nothing', async () => {
    // A newer protocol may add fields; the refusal names the version, not the unknown field.
    const res = await post({
      ...makeReport('future'),
      protocol_version: PROTOCOL_VERSION + 1,
      gpu_topology: { links: [] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      detail: [
        {
          loc: ['body', 'protocol_version'],
          msg: `protocol_version ${PROTOCOL_VERSION + 1} is newer than this server understands (${PROTOCOL_VERSION}); upgrade the server`,
          type: PROTOCOL_TOO_NEW,
        },
      ],
    });
    expect(await t.store.countHosts()).toBe(0);
  });

  it('accept this protocol and reports without one', async () => {
    expect((await post(makeReport('now', { protocol_version: PROTOCOL_VERSION }))).statusCode).toBe(200);
    expect((await post(makeReport('before'))).statusCode).toBe(200);
  });

  it('validate protocol_version like any field', async () => {
    const res = await post({ ...makeReport('odd'), protocol_version: 'one' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0].loc).toEqual(['body', 'protocol_version']);
  });

  it('are documented in OpenAPI, with the status entry as output', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(
      Object.keys(doc.paths['/api/report'].post.requestBody.content['application/json'].schema.properties),
    ).toContain('protocol_version');
    const entry =
      doc.paths['/api/status'].get.responses['200'].content['application/json'].schema.properties.results.items;
    expect(entry.required).toEqual(expect.arrayContaining(['agent_version', 'protocol_version']));
    expect(entry.properties.cpu.properties.loadavg.required).toEqual([
      '1m',
      '5m',
      '15m',
      'one_min',
      'five_min',
      'fifteen_min',
    ]);
  });
});
