/**
 * The report body: parsed once, serialized at most once. A body in the
 * canonical shape (contract/canonical.ts, what the Fleetwatch agent sends)
 * is already normalized, field for field, so the store keeps its text as it
 * arrived; serializing several KB again cost about an eighth of ingest's CPU.
 * Every other body (the original bash agent's, one with unknown fields) is
 * validated by the lenient Report schema as before: unknown fields dropped,
 * defaults filled, then serialized after normalizing.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { CanonicalReport } from '../../contract/canonical.js';
import { AJV_OPTIONS } from '../ajv-options.js';

type Validate = ReturnType<ReturnType<ReturnType<typeof AjvCompiler>>>;

/** The JSON content-type parser's callback, as Fastify calls it. */
type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * Canonical means valid as it is: nothing to remove, nothing to fill in, so
 * this validator changes nothing. It stops at the first mismatch; the
 * lenient validator then runs and reports every problem.
 */
const canonical = AjvCompiler()({}, {
  customOptions: { allErrors: false, removeAdditional: false, useDefaults: false, coerceTypes: false },
  plugins: [],
})({ schema: CanonicalReport }) as Validate;

/** True when `value` is a report in canonical form: valid, and already what normalizeReport returns. */
export const isCanonicalReport = (value: unknown): boolean => canonical(value) === true;

/** What the report route needs to keep a canonical body's text, for one app. */
export class ReportBodies {
  /** Each parsed body's text while it may still prove canonical; dropped for bodies that do not. */
  private readonly texts = new WeakMap<object, string>();
  private readonly compileLenient = AjvCompiler()({}, { customOptions: AJV_OPTIONS, plugins: [] });

  /**
   * Replaces the JSON parser in `scope` (the report route's plugin) with
   * Fastify's own, the same errors and prototype-poisoning checks included,
   * keeping the text of what it parsed.
   */
  installParser(scope: FastifyInstance): void {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
      parseJson(request, text as string, ((error: Error | null, body?: unknown) => {
        if (error === null && typeof body === 'object' && body !== null) this.texts.set(body, text as string);
        done(error, body);
      }) as ParserDone);
    });
  }

  /**
   * A route's validatorCompiler: the body is checked against the canonical
   * schema first and, when it is not canonical, validated (and mended) by
   * the lenient one, whose errors Fastify reports as usual.
   */
  readonly validatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
    const lenient = this.compileLenient({ schema: route.schema as object }) as Validate;
    if (route.httpPart !== 'body') return lenient;
    const validate = ((data: unknown, context?: unknown) => {
      if (canonical(data)) return true;
      if (typeof data === 'object' && data !== null) this.texts.delete(data);
      const valid = (lenient as (data: unknown, context?: unknown) => boolean)(data, context);
      validate.errors = lenient.errors;
      return valid;
    }) as Validate;
    // Fastify passes the parent object to Ajv validators that have one, so a root value can be replaced.
    Object.assign(validate, { schemaEnv: lenient.schemaEnv });
    return validate;
  };

  /** The text `body` arrived as, when it was canonical (its normalized form as JSON); undefined otherwise. */
  canonicalJson(body: unknown): string | undefined {
    return typeof body === 'object' && body !== null ? this.texts.get(body) : undefined;
  }
}
