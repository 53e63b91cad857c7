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
 * The fields of `body` that `schema` does not declare, by path: `grop`,
 * `gpus[0].utilisation`. Values of the wrong type are left to validation.
 */
export function unknownFields(body: unknown, schema: object): UnknownFields {
  const found: UnknownFields = { paths: [], total: 0 };
  walk(body, schema as SchemaNode, [], found);
  return found;
}

function walk(value: unknown, schema: SchemaNode, path: (string | number)[], found: UnknownFields): void {
  if (typeof value !== 'object' || value === null) return;
  const node = schema.anyOf?.find((s) => s.type === (Array.isArray(value) ? 'array' : 'object')) ?? schema;
  if (Array.isArray(value)) {
    if (node.type !== 'array' || !node.items) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], node.items, path, found);
      path.pop();
    }
    return;
  }
  const properties = node.properties;
  if (node.type !== 'object' || !properties) return;
  for (const key in value) {
    path.push(key);
    const declared = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (declared) walk((value as Record<string, unknown>)[key], declared, path, found);
    else if (found.total++ < IGNORED_LIMITS.paths) found.paths.push(bounded(pathText(path)));
    path.pop();
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
