/**
 * The fleet filter's matching rule (which field of a host a text matches) and
 * the round trip of the overview's and the GPU view's options through the URL.
 */
import { describe, expect, it } from 'vitest';
import { normalizeReport, type HostStatus, type NormalizedReport } from '../../src/contract/index.js';
import { hostStatusEntry } from '../../src/server/host-status.js';
import { makeReport } from '../helpers/reports.js';
import {
  DEFAULT_QUERY,
  queryFromParams,
  queryToParams,
  selectHosts,
  type Query,
} from '../../web/src/lib/fleet-query.js';
import { excerpt, matchHost, needleOf } from '../../web/src/lib/host-match.js';
import { gpuQueryFromParams, gpuQueryToParams, type GpuQuery } from '../../web/src/lib/gpu-query.js';

/** A status entry for a report made by makeReport, with `gpuProcess` on its one GPU. */
function entry(alias: string, gpuProcess: { username: string; cmd: string; container: string | null }): HostStatus {
  const base = makeReport(alias);
  const gpu = base.gpus![0]!;
  const report = normalizeReport({
    ...base,
    users: [{ name: 'admin', tty: 'pts/0', host: '10.0.0.5', started: '2025-11-06T09:30:00' }],
    gpus: [{ ...gpu, processes: [{ pid: 7, used_memory_mb: 100, type: 'C', ...gpuProcess }] }],
  }) as NormalizedReport;
  return hostStatusEntry({ alias, report, receivedAt: 1_700_000_000_000, reportTime: 0 }, true);
}

const docker = entry('gpu-01', { username: 'root', cmd: 'python /srv/train_resnet.py', container: 'carol-pytorch' });
const bare = entry('gpu-02', { username: 'carol', cmd: 'jupyter-lab', container: null });

describe('fleet filter matching', () => {
  it('matches GPU process users, containers and commands, naming the field', () => {
    expect(matchHost(bare, needleOf(' Carol '))).toEqual({ field: 'GPU user', value: 'carol' });
    expect(matchHost(docker, needleOf('carol'))).toEqual({ field: 'container', value: 'carol-pytorch' });
    expect(matchHost(docker, needleOf('RESNET'))).toEqual({ field: 'command', value: 'python /srv/train_resnet.py' });
    expect(matchHost(docker, needleOf('nobody-here'))).toBeNull();
  });

  it('still matches what it always searched, the row-visible fields first', () => {
    expect(matchHost(docker, needleOf('gpu-01'))).toEqual({ field: 'alias', value: 'gpu-01' });
    expect(matchHost(docker, needleOf('admin'))).toEqual({ field: 'logged-in user', value: 'admin' });
    expect(matchHost(docker, needleOf('nvidia'))).toEqual({ field: 'label', value: 'nvidia' });
    expect(matchHost(docker, needleOf('production'))).toEqual({ field: 'group', value: 'production' });
    expect(matchHost(docker, needleOf('3090'))).toEqual({ field: 'GPU model', value: 'RTX 3090' });
  });

  it('is the rule the overview filters by', () => {
    const q: Query = { ...DEFAULT_QUERY, text: 'carol' };
    expect(selectHosts([bare, docker], q).map((h) => h.server_alias)).toEqual(['gpu-01', 'gpu-02']);
    expect(selectHosts([bare, docker], { ...q, text: 'jupyter' }).map((h) => h.server_alias)).toEqual(['gpu-02']);
  });

  it('cuts a long value to the part around the match', () => {
    const cmd = `python ${'x'.repeat(60)}/train_resnet.py --epochs 90 --batch-size 512 --lr 0.1`;
    const cut = excerpt(cmd, 'resnet', 40);
    expect(cut).toContain('resnet');
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(42);
    expect(excerpt('short', 'sh', 40)).toBe('short');
  });
});

describe('options in the URL', () => {
  const viaUrl = (params: Record<string, string>) =>
    new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));

  it('brings every overview query back, and writes nothing for the default one', () => {
    const queries: Query[] = [
      { text: 'carol & bob', status: 'down', label: 'gpu', groupBy: 'label', sort: 'cpu', desc: true },
      { ...DEFAULT_QUERY, sort: 'cpu', desc: false },
      { ...DEFAULT_QUERY, sort: 'status', desc: true },
      { ...DEFAULT_QUERY, desc: true },
    ];
    for (const q of queries) expect(queryFromParams(viaUrl(queryToParams(q)))).toEqual(q);
    expect(viaUrl(queryToParams(DEFAULT_QUERY)).toString()).toBe('');
    expect(viaUrl(queryToParams({ ...DEFAULT_QUERY, sort: 'gpu', desc: true })).toString()).toBe('sort=gpu');
  });

  it('opens an unknown or old value as the default', () => {
    expect(queryFromParams(new URLSearchParams('sort=nonsense&status=maybe&by=rack&dir=up'))).toEqual(DEFAULT_QUERY);
  });

  it('brings every GPU view query back', () => {
    const q: GpuQuery = {
      model: 'NVIDIA H100 80GB HBM3',
      group: 'ml',
      user: 'carol',
      container: 'carol-pytorch',
      show: 'idle',
    };
    expect(gpuQueryFromParams(viaUrl(gpuQueryToParams(q)))).toEqual(q);
    expect(gpuQueryFromParams(new URLSearchParams('show=everything'))).toEqual({
      model: '',
      group: '',
      user: '',
      container: '',
      show: 'all',
    });
  });
});
