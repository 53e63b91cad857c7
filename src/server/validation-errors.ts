/**
 * Turns Ajv errors into FastAPI/pydantic-style items: one `{loc, msg, type}`
 * per problem with `loc` as the path into the body, e.g. ["body","cpu","percent"].
 */
import type { FastifySchemaValidationError } from 'fastify';
import type { ContractIssue } from '../contract/index.js';

type AjvError = FastifySchemaValidationError & { instancePath: string; params: Record<string, unknown> };

const TYPE_MESSAGES: Record<string, [string, string]> = {
  number: ['Input should be a valid number', 'float_type'],
  integer: ['Input should be a valid integer', 'int_type'],
  string: ['Input should be a valid string', 'string_type'],
  array: ['Input should be a valid list', 'list_type'],
  object: ['Input should be a valid dictionary or object to extract fields from', 'model_attributes_type'],
  boolean: ['Input should be a valid boolean', 'bool_type'],
  null: ['Input should be None', 'none_required'],
};

export function toIssues(errors: FastifySchemaValidationError[], context: string): ContractIssue[] {
  const all = errors as AjvError[];
  // A union (e.g. number | null) reports one failure per branch plus `anyOf`;
  // keep the most specific branch failure for that path instead of all of them.
  const unionPaths = new Set(all.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const picked: AjvError[] = [];
  for (const path of unionPaths) {
    const branches = all.filter((e) => e.instancePath === path && e.keyword !== 'anyOf');
    const best = branches.find((e) => e.keyword !== 'type') ?? branches[0];
    if (best) picked.push(best);
  }
  for (const e of all) if (!unionPaths.has(e.instancePath) && !isInsideUnion(e, unionPaths)) picked.push(e);
  const seen = new Set<string>();
  const issues: ContractIssue[] = [];
  for (const e of picked) {
    const issue = toIssue(e, context);
    const key = JSON.stringify(issue.loc) + issue.type;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function isInsideUnion(e: AjvError, unionPaths: Set<string>): boolean {
  return e.schemaPath.includes('/anyOf/') && [...unionPaths].some((p) => e.instancePath.startsWith(`${p}/`));
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

function toIssue(e: AjvError, context: string): ContractIssue {
  const loc: (string | number)[] = [context, ...pathOf(e.instancePath)];
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return { loc: [...loc, String(p.missingProperty)], msg: 'Field required', type: 'missing' };
    case 'type': {
      const [msg, type] = TYPE_MESSAGES[String(p.type)] ?? [`Input should be of type ${String(p.type)}`, 'type_error'];
      return { loc, msg, type };
    }
    case 'minimum':
      return { loc, msg: `Input should be greater than or equal to ${String(p.limit)}`, type: 'greater_than_equal' };
    case 'maximum':
      return { loc, msg: `Input should be less than or equal to ${String(p.limit)}`, type: 'less_than_equal' };
    case 'minLength':
      return {
        loc,
        msg: `String should have at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'}`,
        type: 'string_too_short',
      };
    case 'maxLength':
      return { loc, msg: `String should have at most ${String(p.limit)} characters`, type: 'string_too_long' };
    case 'maxItems':
      return { loc, msg: `List should have at most ${String(p.limit)} items after validation`, type: 'too_long' };
    case 'additionalProperties':
      return {
        loc: [...loc, String(p.additionalProperty)],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      };
    case 'const':
    case 'enum':
      return {
        loc,
        msg: `Input should be ${JSON.stringify(p.allowedValue ?? p.allowedValues)}`,
        type: 'literal_error',
      };
    default:
      return { loc, msg: e.message ?? 'Invalid value', type: e.keyword };
  }
}
