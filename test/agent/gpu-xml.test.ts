import { describe, it, expect } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { parseNvidiaSmiXml, parseNvidiaSmiXmlBytes } from '../../src/agent/collectors/gpu-xml.js';
import { numberOf, percentOf, mibOf } from '../../src/agent/collectors/gpu-values.js';
import { fixture, fixtureFiles } from './helpers/fixtures.js';

const xml = (name: string) => parseNvidiaSmiXml(fixture(`nvidia-smi/${name}`));

describe('nvidia-smi -q -x parser over real outputs', () => {
  it('reads every XML fixture into at least one GPU with a uuid and memory', () => {
    const files = fixtureFiles('nvidia-smi').filter((f) => f.endsWith('.xml'));
    expect(files.length).toBe(7);
    for (const f of files) {
      const gpus = xml(f);
      expect(gpus.length, f).toBeGreaterThan(0);
      for (const g of gpus) {
        expect(g.uuid, f).toMatch(/^GPU-[0-9a-f-]+$/);
        expect(g.memory_total_mb, f).toBeGreaterThan(0);
        expect(g.name, f).not.toBe('');
      }
    }
  });

  it('v11 (Tesla T4): power_readings, N/A fan is null, processes with types', () => {
    const [t4] = xml('tesla-t4_driver-515.105.01_q-x.xml');
    expect(t4).toEqual({
      index: 0,
      name: 'Tesla T4',
      uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a',
      utilization_pct: 0,
      memory_used_mb: 1032,
      memory_total_mb: 15360,
      temperature_celsius: 40,
      fan_speed_pct: null,
      power_draw_watts: 26.78,
      power_limit_watts: 70,
      processes: [
        { pid: 675, type: 'G', name: '/usr/lib/xorg/Xorg', used_memory_mb: 22 },
        { pid: 5762, type: 'C', name: 'python', used_memory_mb: 1005 },
      ],
    });
  });

  it('v12 (RTX 4090): gpu_power_readings with current_power_limit', () => {
    const [g] = xml('rtx-4090_driver-535.86.05_q-x.xml');
    expect(g).toMatchObject({
      name: 'NVIDIA GeForce RTX 4090',
      power_draw_watts: 26.84,
      power_limit_watts: 450,
      fan_speed_pct: 0,
      temperature_celsius: 40,
      memory_used_mb: 2,
      memory_total_mb: 24564,
      processes: [],
    });
  });

  it('v13 (RTX 4000 SFF Ada): average_power_draw, and G, C and C+G processes', () => {
    const [g] = xml('rtx-4000-sff-ada_driver-595.84_q-x.xml');
    expect(g).toMatchObject({
      power_draw_watts: 8.81,
      power_limit_watts: 70,
      fan_speed_pct: 30,
      temperature_celsius: 38,
      memory_used_mb: 3534,
      memory_total_mb: 20475,
    });
    expect(g!.processes.map((p) => [p.pid, p.type, p.used_memory_mb])).toEqual([
      [1842, 'G', 410],
      [3190, 'G', 451],
      [4937, 'C', 160],
      [34626, 'C+G', 183],
    ]);
  });

  it('v11 Tesla P100: N/A fan is null, power limit from power_readings', () => {
    const [g] = xml('tesla-p100-pcie-16gb_driver-510.47.03_q-x.xml');
    expect(g).toMatchObject({
      fan_speed_pct: null,
      power_draw_watts: 26.16,
      power_limit_watts: 250,
      temperature_celsius: 38,
      memory_total_mb: 16384,
      uuid: 'GPU-d3da8716-eaab-75db-efc1-60e88e1cd55e',
    });
  });

  it('MIG (A100): N/A utilisation becomes 0, the parent GPU keeps its totals', () => {
    const [g] = xml('a100-sxm4-40gb_mig-enabled_driver-510.47.03_q-x.xml');
    expect(g).toMatchObject({
      name: 'NVIDIA A100-SXM4-40GB',
      utilization_pct: 0,
      memory_used_mb: 38,
      memory_total_mb: 40960,
      fan_speed_pct: null,
      power_draw_watts: 66.92,
      power_limit_watts: 400,
      processes: [],
    });
  });

  it('the same pid on two GPUs is listed on each with its own memory; index is the position, not minor_number', () => {
    const gpus = xml('dual-rtx-a5000_driver-590.44.01_q-x.xml');
    expect(gpus.map((g) => [g.index, g.uuid, g.memory_used_mb, g.power_draw_watts])).toEqual([
      [0, 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab', 22437, 6.41],
      [1, 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd', 17253, 13.6],
    ]);
    expect(gpus[0]!.processes).toEqual([
      { pid: 100477, type: 'C', name: '/root/src/llama.cpp/build/bin/llama-server', used_memory_mb: 22430 },
    ]);
    expect(gpus[1]!.processes).toEqual([
      { pid: 100477, type: 'C', name: '/root/src/llama.cpp/build/bin/llama-server', used_memory_mb: 17246 },
    ]);
  });

  it('Windows WDDM: N/A process memory is null, empty names stay empty', () => {
    const [g] = xml('rtx-2080_windows-wddm_driver-516.59_q-x.xml');
    expect(g!.processes).toHaveLength(26);
    expect(g!.processes.every((p) => p.used_memory_mb === null && p.type === 'C+G')).toBe(true);
    expect(g!.processes.filter((p) => p.name === '')).toHaveLength(5);
    expect(g).toMatchObject({
      utilization_pct: 2,
      fan_speed_pct: 37,
      power_draw_watts: 14.5,
      power_limit_watts: 275,
      memory_used_mb: 862,
    });
  });
});

/**
 * The agent finds its values with indexOf rather than building a tree (see
 * gpu-xml.ts); a full XML parser over the whole document must agree with it
 * on every fixture.
 */
describe('nvidia-smi -q -x parser agrees with fast-xml-parser', () => {
  type Node = Record<string, unknown>;
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    processEntities: false,
    isArray: (name) => name === 'gpu' || name === 'process_info',
  });
  const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
  const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const firstNumber = (...values: unknown[]) => values.map(numberOf).find((n) => n !== null) ?? null;
  /** The GPU fields from a tree of the whole document, where nesting keeps mig_devices apart. */
  function reference(text: string) {
    const root = obj(parser.parse(text).nvidia_smi_log);
    return (root.gpu as Node[]).map((gpu, index) => {
      const v11 = obj(gpu.power_readings);
      const v12 = obj(gpu.gpu_power_readings);
      const list = obj(gpu.processes).process_info;
      return {
        index,
        name: str(gpu.product_name),
        uuid: str(gpu.uuid) || null,
        utilization_pct: percentOf(obj(gpu.utilization).gpu_util),
        memory_used_mb: mibOf(obj(gpu.fb_memory_usage).used),
        memory_total_mb: mibOf(obj(gpu.fb_memory_usage).total),
        temperature_celsius: numberOf(obj(gpu.temperature).gpu_temp),
        fan_speed_pct: numberOf(gpu.fan_speed),
        power_draw_watts: firstNumber(v12.average_power_draw, v12.power_draw, v12.instant_power_draw, v11.power_draw),
        power_limit_watts: firstNumber(
          v12.current_power_limit,
          v11.power_limit,
          v11.enforced_power_limit,
          v12.enforced_power_limit,
        ),
        processes: (Array.isArray(list) ? (list as Node[]) : []).flatMap((p) => {
          const pid = numberOf(p.pid);
          const mem = numberOf(p.used_memory);
          return pid === null
            ? []
            : [
                {
                  pid,
                  type: str(p.type) || null,
                  name: str(p.process_name),
                  used_memory_mb: mem === null ? null : Math.round(mem),
                },
              ];
        }),
      };
    });
  }

  it('on every XML fixture', () => {
    const files = fixtureFiles('nvidia-smi').filter((f) => f.endsWith('.xml'));
    for (const f of files) expect(xml(f), f).toEqual(reference(fixture(`nvidia-smi/${f}`)));
    // The MIG fixture is in the set: its mig_devices blocks hold fb_memory_usage of their own.
    expect(files.some((f) => fixture(`nvidia-smi/${f}`).includes('<mig_devices>'))).toBe(true);
  });
});

describe('nvidia-smi -q -x from bytes (the long-running reader)', () => {
  it('gives what the string parser gives on every fixture', () => {
    for (const f of fixtureFiles('nvidia-smi').filter((n) => n.endsWith('.xml'))) {
      expect(parseNvidiaSmiXmlBytes(Buffer.from(fixture(`nvidia-smi/${f}`))), f).toEqual(xml(f));
    }
  });

  it('keeps non-ASCII process names intact', () => {
    // The T4 capture with its python process renamed to a UTF-8 path.
    const text = fixture('nvidia-smi/tesla-t4_driver-515.105.01_q-x.xml').replace(
      '<process_name>python</process_name>',
      '<process_name>/home/jürgen/環境/python</process_name>',
    );
    const [t4] = parseNvidiaSmiXmlBytes(Buffer.from(text, 'utf8'));
    expect(t4!.processes.map((p) => p.name)).toEqual(['/usr/lib/xorg/Xorg', '/home/jürgen/環境/python']);
  });
});
