import { Schema, Validator } from '@cfworker/json-schema';

export type { Schema };

/**
 * JSON Schema validation with a maintained validator that interprets schemas instead of compiling
 * them to code: the webview's Content-Security-Policy forbids eval, and the host and the webview
 * must run the same checks.
 */
const validators = new WeakMap<object, Validator>();

export interface SchemaProblem {
  /** The field (top-level property) the problem is about, when there is one. */
  readonly field: string | undefined;
  readonly keyword: string;
  readonly message: string;
}

function validatorFor(schema: Schema): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    // A copy: the validator annotates the schema it is given, and schemas are shared (and posted to the webview).
    validator = new Validator(JSON.parse(JSON.stringify(schema)) as Schema, '2020-12', false);
    validators.set(schema, validator);
  }
  return validator;
}

export function isValid(schema: Schema, value: unknown): boolean {
  return validatorFor(schema).validate(value).valid;
}

/** The problems of a value, one per field and keyword, in sentences a person can act on. */
export function problems(schema: Schema, value: unknown): SchemaProblem[] {
  const result = validatorFor(schema).validate(value);
  if (result.valid) return [];
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const error of result.errors) {
    // Container keywords (properties, allOf, ...) only repeat what their leaves say.
    if (['properties', 'allOf', 'anyOf', 'oneOf', '$ref', 'items', 'prefixItems'].includes(error.keyword)) continue;
    const field =
      error.keyword === 'required'
        ? /"([^"]+)"/.exec(error.error)?.[1]
        : decodeURIComponent(error.instanceLocation.replace(/^#\/?/, '').split('/')[0] ?? '') || undefined;
    // additionalProperties is reported on the object and again (keyword "false") on each extra field: keep the field's.
    if (field === undefined && (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties')) continue;
    const key = `${field}:${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const property = field ? (schema.properties?.[field] as Schema | undefined) : undefined;
    out.push({ field, keyword: error.keyword, message: sentence(error.keyword, property?.title ?? field, property, error.error) });
  }
  return out;
}

function sentence(keyword: string, title: string | undefined, property: Schema | undefined, raw: string): string {
  const what = title ?? 'The value';
  switch (keyword) {
    case 'required':
      return `${what} is required.`;
    case 'minLength':
      return property?.minLength === 1 ? `${what} is required.` : `${what} is too short.`;
    case 'maxLength':
      return `${what} is too long (at most ${property?.maxLength ?? '?'} characters).`;
    case 'pattern':
      return property?.contentMediaType === 'application/x-pem-file' ? `${what} must be PEM text (-----BEGIN …-----).` : `${what} has the wrong form.`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
    case 'false':
      return `${what}: a field this form does not have was sent.`;
    case 'type':
      return `${what} has the wrong type.`;
    default:
      return `${what}: ${raw}`;
  }
}
