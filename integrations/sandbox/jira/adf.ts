import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '@atlaskit/adf-schema/dist/json-schema/v1/full.json';

/**
 * Atlassian Document Format checked against Atlassian's own published JSON schema (`@atlaskit/adf-schema`,
 * `json-schema/v1/full.json`), which is what Jira Cloud enforces on rich-text fields: unknown nodes and
 * marks, empty text, missing `attrs` (e.g. a taskList's `localId`) and content a node may not hold all fail.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
let validate: ValidateFunction | undefined;

/**
 * The compiled schema, built once per process and shared by every emulator: compiling takes about half a
 * second, so the emulator builds it when it starts (`createJiraEmulator`), not inside the first request
 * (whose client may time out meanwhile), and not when the module is merely imported.
 */
export function adfValidator(): ValidateFunction {
  if (validate) return validate;
  // The file declares draft-04, which Ajv 8 does not bundle; it uses no keyword whose meaning changed
  // since (no boolean exclusiveMinimum, no `id`), so it compiles as the default draft.
  const { $schema: _draft, ...body } = schema as Record<string, unknown>;
  // Tuples of `items` without maxItems are the schema's own style; everything else stays strict.
  const ajv = new Ajv({ strict: true, strictTuples: false, inlineRefs: false });
  validate = ajv.compile(body);
  return validate;
}

/** null when `doc` is a valid ADF document, otherwise the schema's reason (path and message). */
export function adfProblem(doc: unknown): string | null {
  const check = adfValidator();
  if (check(doc)) return null;
  return describe(check.errors ?? []);
}

/**
 * The schema tries every node type in an `anyOf`, so most errors are "not this other node"; the one
 * with the deepest instance path says best where the document went wrong.
 */
function describe(errors: ErrorObject[]): string {
  const deepest = errors.reduce<ErrorObject | undefined>(
    (best, e) => (!best || e.instancePath.length > best.instancePath.length ? e : best),
    undefined,
  );
  if (!deepest) return 'not a valid ADF document';
  return `${deepest.instancePath || '/'}: ${deepest.message ?? 'invalid'}`;
}
