/**
 * Parses `nvidia-smi -q -x`. The power block was renamed across DTD versions:
 * v11 has <power_readings> with power_draw/power_limit; v12 has
 * <gpu_power_readings> with power_draw/current_power_limit; v13 splits the
 * draw into average_power_draw and instant_power_draw (power.draw in the CSV
 * interface equals the average). Processes sit under their own GPU, so each
 * GPU gets its own list; the index is the GPU's position, which is what
 * `nvidia-smi -i` uses (minor_number can differ from it).
 */
import { numberOf, percentOf, mibOf, type GpuSample, type GpuProcessSample } from './gpu-values.js';

/**
 * The text of the first `<tag>…</tag>` in `xml` (trimmed), '' when the element
 * is missing, empty or has children. The agent reads a dozen leaf values out
 * of a document that is mostly blocks it ignores (supported_clocks alone is
 * most of it): finding them with indexOf costs well under a millisecond on an
 * 8-GPU host, where building a tree of the whole document (fast-xml-parser)
 * cost ~10 ms a cycle in the agent, whose code rarely gets hot at one cycle
 * per 15 s. The tests check it against fast-xml-parser over every fixture.
 */
function text(xml: string, tag: string): string {
  const inner = element(xml, tag);
  return inner === undefined || inner.includes('<') ? '' : inner.trim();
}

/** The inner text of the first `<tag>…</tag>` in `xml`. */
function element(xml: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const start = xml.indexOf(open);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, start);
  return end < 0 ? undefined : xml.slice(start + open.length, end);
}

/** Every `<tag>…</tag>` directly in `xml`, in order. */
function elements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  for (let start = xml.indexOf(open); start >= 0; start = xml.indexOf(open, start)) {
    const end = xml.indexOf(close, start);
    if (end < 0) break;
    out.push(xml.slice(start + open.length, end));
    start = end + close.length;
  }
  return out;
}

const first = (...values: string[]) => values.map(numberOf).find((n) => n !== null) ?? null;

function power(gpu: (tag: string) => string): { draw: number | null; limit: number | null } {
  const v11 = gpu('power_readings');
  const v12 = gpu('gpu_power_readings');
  return {
    draw: first(
      text(v12, 'average_power_draw'),
      text(v12, 'power_draw'),
      text(v12, 'instant_power_draw'),
      text(v11, 'power_draw'),
    ),
    limit: first(
      text(v12, 'current_power_limit'),
      text(v11, 'power_limit'),
      text(v11, 'enforced_power_limit'),
      text(v12, 'enforced_power_limit'),
    ),
  };
}

function processes(block: string, decode: (s: string) => string): GpuProcessSample[] {
  return elements(block, 'process_info').flatMap((p) => {
    const pid = numberOf(text(p, 'pid'));
    if (pid === null) return [];
    const mem = numberOf(text(p, 'used_memory'));
    return [
      {
        pid,
        type: text(p, 'type') || null,
        name: decode(text(p, 'process_name')),
        used_memory_mb: mem === null ? null : Math.round(mem),
      },
    ];
  });
}

/**
 * A lookup of a GPU's own blocks. mig_devices is skipped, because its
 * fb_memory_usage (and others) would be found before the GPU's own: a block
 * is looked for before mig_devices, then after it.
 */
function gpuBlocks(gpu: string): (tag: string) => string {
  const mig = gpu.indexOf('<mig_devices>');
  const migEnd = mig < 0 ? -1 : gpu.indexOf('</mig_devices>', mig);
  if (mig < 0 || migEnd < 0) return (tag) => element(gpu, tag) ?? '';
  const head = gpu.slice(0, mig);
  const tail = gpu.slice(migEnd);
  return (tag) => element(head, tag) ?? element(tail, tag) ?? '';
}

/** The `<gpu id=…>` sections of a document. */
function gpuSections(xml: string): string[] {
  const out: string[] = [];
  for (let pos = xml.indexOf('<gpu id='); pos >= 0; pos = xml.indexOf('<gpu id=', pos + 1)) {
    const end = xml.indexOf('</gpu>', pos);
    if (end < 0) break;
    out.push(xml.slice(pos, end));
  }
  return out;
}

/** Undoes reading UTF-8 bytes as latin1 (one char per byte), for the few names that are not ASCII. */
const utf8 = (latin1: string) => (/[\x80-\xff]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1);

/**
 * GPUs with their processes from the bytes of one `nvidia-smi -q -x`
 * document. The bytes are read as latin1, a plain copy, where decoding
 * 400 KB of UTF-8 took longer than finding the values; tags are ASCII, so
 * every position is the same, and the names taken out are decoded as UTF-8.
 */
export function parseNvidiaSmiXmlBytes(bytes: Buffer): GpuSample[] {
  return parseNvidiaSmiXml(bytes.toString('latin1'), utf8);
}

/** GPUs with their processes from `nvidia-smi -q -x` output. */
export function parseNvidiaSmiXml(xml: string, decode: (s: string) => string = (s) => s): GpuSample[] {
  return gpuSections(xml).map((section, index) => {
    const gpu = gpuBlocks(section);
    const leaf = (tag: string) => {
      const v = gpu(tag);
      return v.includes('<') ? '' : v.trim();
    };
    const fb = gpu('fb_memory_usage');
    const { draw, limit } = power(gpu);
    return {
      index,
      name: decode(leaf('product_name')),
      uuid: decode(leaf('uuid')) || null,
      utilization_pct: percentOf(text(gpu('utilization'), 'gpu_util')),
      memory_used_mb: mibOf(text(fb, 'used')),
      memory_total_mb: mibOf(text(fb, 'total')),
      temperature_celsius: numberOf(text(gpu('temperature'), 'gpu_temp')),
      fan_speed_pct: numberOf(leaf('fan_speed')),
      power_draw_watts: draw,
      power_limit_watts: limit,
      processes: processes(gpu('processes'), decode),
    };
  });
}
