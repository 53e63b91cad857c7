/**
 * Parses `nvidia-smi -q -x`. The power block was renamed across DTD versions:
 * v11 has <power_readings> with power_draw/power_limit; v12 has
 * <gpu_power_readings> with power_draw/current_power_limit; v13 splits the
 * draw into average_power_draw and instant_power_draw (power.draw in the CSV
 * interface equals the average). Processes sit under their own GPU, so each
 * GPU gets its own list; the index is the GPU's position, which is what
 * `nvidia-smi -i` uses (minor_number can differ from it).
 */
import { XMLParser } from 'fast-xml-parser';
import { numberOf, percentOf, mibOf, type GpuSample, type GpuProcessSample } from './gpu-values.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  isArray: (name) => name === 'gpu' || name === 'process_info',
});

const obj = (v: unknown): Node => (v && typeof v === 'object' ? (v as Node) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const first = (...values: unknown[]) => values.map(numberOf).find((n) => n !== null) ?? null;

function power(gpu: Node): { draw: number | null; limit: number | null } {
  const v11 = obj(gpu.power_readings);
  const v12 = obj(gpu.gpu_power_readings);
  return {
    draw: first(v12.average_power_draw, v12.power_draw, v12.instant_power_draw, v11.power_draw),
    limit: first(v12.current_power_limit, v11.power_limit, v11.enforced_power_limit, v12.enforced_power_limit),
  };
}

function processes(gpu: Node): GpuProcessSample[] {
  const list = obj(gpu.processes).process_info;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: Node) => {
    const pid = numberOf(p.pid);
    if (pid === null) return [];
    const mem = numberOf(p.used_memory);
    return [{ pid, type: str(p.type) || null, name: str(p.process_name), used_memory_mb: mem === null ? null : Math.round(mem) }];
  });
}

/** The children of <gpu> the agent reads; everything else is dropped before parsing. */
const WANTED = ['product_name', 'uuid', 'fan_speed', 'fb_memory_usage', 'utilization', 'temperature',
  'power_readings', 'gpu_power_readings', 'processes'];

/** The first `<tag>…</tag>` in `xml` from `from`, or '' when there is none. */
function block(xml: string, tag: string, from = 0, to = xml.length): string {
  const start = xml.indexOf(`<${tag}>`, from);
  if (start < 0 || start >= to) return '';
  const end = xml.indexOf(`</${tag}>`, start);
  return end < 0 || end > to ? '' : xml.slice(start, end + tag.length + 3);
}

/**
 * A copy of the document holding only what the agent reads. A real -q -x is
 * mostly supported_clocks and other blocks the agent ignores; parsing all of
 * it costs ~50 ms per cycle on an 8-GPU host, this cut ~2 ms. mig_devices is
 * skipped first, because its fb_memory_usage would be found before the GPU's
 * own.
 */
export function essentials(xml: string): string {
  const parts: string[] = [];
  for (let pos = xml.indexOf('<gpu id='); pos >= 0; pos = xml.indexOf('<gpu id=', pos + 1)) {
    const end = xml.indexOf('</gpu>', pos);
    if (end < 0) break;
    const mig = block(xml, 'mig_devices', pos, end);
    const skipFrom = mig ? xml.indexOf('<mig_devices>', pos) + mig.length : pos;
    const head = mig ? xml.slice(pos, xml.indexOf('<mig_devices>', pos)) : '';
    parts.push(`<gpu>${WANTED.map((t) => block(head, t) || block(xml, t, skipFrom, end)).join('')}</gpu>`);
  }
  return `<nvidia_smi_log>${parts.join('')}</nvidia_smi_log>`;
}

/** GPUs with their processes from `nvidia-smi -q -x` output. */
export function parseNvidiaSmiXml(xml: string): GpuSample[] {
  const root = obj(parser.parse(essentials(xml)).nvidia_smi_log);
  const gpus = Array.isArray(root.gpu) ? (root.gpu as Node[]) : [];
  return gpus.map((gpu, index) => {
    const fb = obj(gpu.fb_memory_usage);
    const { draw, limit } = power(gpu);
    return {
      index,
      name: str(gpu.product_name),
      uuid: str(gpu.uuid) || null,
      utilization_pct: percentOf(obj(gpu.utilization).gpu_util),
      memory_used_mb: mibOf(fb.used),
      memory_total_mb: mibOf(fb.total),
      temperature_celsius: numberOf(obj(gpu.temperature).gpu_temp),
      fan_speed_pct: numberOf(gpu.fan_speed),
      power_draw_watts: draw,
      power_limit_watts: limit,
      processes: processes(gpu),
    };
  });
}
