/**
 * The canonical report: the Report schema narrowed to what normalizeReport
 * returns. Every field that has a default is present, load averages use the
 * `1m`/`5m`/`15m` keys, and nothing unknown is allowed. The Fleetwatch agent
 * sends this shape. A body that matches it is already normalized, field for
 * field, so the server can keep its text as it arrived instead of
 * serializing the report again.
 */
import { CanonicalLoadAvg, Report } from './report.js';

type SchemaNode = { [key: string]: unknown };

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `schema` in which every object property that has a default is required, at any depth. */
function requireDefaulted(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(requireDefaulted);
  if (!isNode(schema)) return schema;
  const copy: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = requireDefaulted(value);
  if (isNode(copy.properties)) {
    const defaulted = Object.entries(copy.properties).filter(([, p]) => isNode(p) && 'default' in p).map(([name]) => name);
    copy.required = [...new Set([...(copy.required as string[] | undefined ?? []), ...defaulted])];
  }
  return copy;
}

function canonicalReport(): SchemaNode {
  const schema = requireDefaulted(Report) as SchemaNode & { properties: { cpu: { properties: SchemaNode } } };
  schema.properties.cpu.properties.loadavg = structuredClone(CanonicalLoadAvg);
  return schema;
}

/** JSON Schema of a report already in normalized form (see the file comment); for validation only, not for OpenAPI. */
export const CanonicalReport: SchemaNode = canonicalReport();
