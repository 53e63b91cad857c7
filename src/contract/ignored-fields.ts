/**
 * What the server ignored in a report, told back in the 200 answer's
 * `ignored` so that a typo ("grop" for "group") is seen. Unknown fields are
 * dropped as pydantic drops them (the original's clients rely on that); this
 * only names them. Read before validation, which removes them. The list is
 * bounded, whatever the body holds: see IGNORED_LIMITS.
 */

/** Bounds of `ignored`: the paths named, and the characters of one entry. */
export const IGNORED_LIMITS = { paths: 20, entryLength: 200 } as const;

/** The unknown fields of a body: the first paths, and how many there were in all. */
export interface UnknownFields {
  paths: string[];
  total: number;
}

/** The parts of a JSON schema the walk follows. */
interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/**
 * A schema reduced to what the walk needs: for an object, its declared keys
 * (each with the shape of its value, or null for a value the walk need not
 * enter); for an array, the shape of its items. Made once per schema: the
 * walk runs on every report, so it looks keys up in a Map and makes nothing
 * per node.
 */
interface Shape {
  fields?: Map<string, Shape | null>;
  items?: Shape | null;
}

const shapes = new WeakMap<object, Shape | null>();

/** The shape of `schema`, or null for one with nothing to enter; schemas are trees (the walk follows no $ref). */
function shapeOf(schema: SchemaNode): Shape | null {
  const known = shapes.get(schema);
  if (known !== undefined) return known;
  const object = schema.anyOf?.find((s) => s.type === 'object') ?? schema;
  const array = schema.anyOf?.find((s) => s.type === 'array') ?? schema;
  const shape: Shape = {};
  if (object.type === 'object' && object.properties) {
    shape.fields = new Map(Object.entries(object.properties).map(([key, value]) => [key, shapeOf(value)]));
  }
  if (array.type === 'array' && array.items) shape.items = shapeOf(array.items);
  const made = shape.fields || shape.items !== undefined ? shape : null;
  shapes.set(schema, made);
  return made;
}

/**
 * The fields of `body` that `schema` does not declare, by path: `grop`,
 * `gpus[0].utilisation`. Values of the wrong type are left to validation.
 */
export function unknownFields(body: unknown, schema: object): UnknownFields {
  const found: UnknownFields = { paths: [], total: 0 };
  const shape = shapeOf(schema as SchemaNode);
  if (shape) walk(body, shape, [], found);
  return found;
}

function walk(value: unknown, shape: Shape, path: (string | number)[], found: UnknownFields): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    const items = shape.items;
    if (!items) return;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      path.push(i);
      walk(item, items, path, found);
      path.pop();
    }
    return;
  }
  const fields = shape.fields;
  if (!fields) return;
  for (const key in value) {
    const declared = fields.get(key);
    if (declared === undefined) {
      if (found.total++ < IGNORED_LIMITS.paths) found.paths.push(bounded(pathText([...path, key])));
    } else if (declared !== null) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child !== 'object' || child === null) continue;
      path.push(key);
      walk(child, declared, path, found);
      path.pop();
    }
  }
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** Cut to the entry length; a lone surrogate (a key may hold one, or the cut make one) becomes U+FFFD, as UTF-8 has no form for it. */
function bounded(text: string): string {
  const cut = text.length <= IGNORED_LIMITS.entryLength ? text : `${text.slice(0, IGNORED_LIMITS.entryLength - 1)}…`;
  return cut.replace(/\p{Cs}/gu, '\uFFFD');
}

/**
 * The answer's `ignored`: the notes (such as an unreadable timestamp), then the
 * unknown fields, then how many more there were; undefined when there is nothing to tell.
 */
export function ignoredList(fields: UnknownFields, notes: readonly string[] = []): string[] | undefined {
  if (fields.total === 0 && notes.length === 0) return undefined;
  const more = fields.total - fields.paths.length;
  return [...notes, ...fields.paths, ...(more > 0 ? [`… and ${more} more unknown fields`] : [])];
}
