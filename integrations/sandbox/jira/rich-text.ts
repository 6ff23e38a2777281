import { adfProblem } from './adf';
import type { JiraContext } from './context';

/** Jira's limit for multi-line text fields (description, comment body), default on Cloud and Data Center. */
export const TEXT_LIMIT = 32_767;

/** Jira's wording, as returned in `errors.description` / `errors.comment`. */
export const TEXT_TOO_LONG =
  'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';

/** What Jira Cloud answers for a document that fails the ADF schema. */
export const NOT_ADF_CONTENT = 'The field value is not valid Atlassian Document Format (ADF) content.';

/**
 * Characters as Jira counts them against the limit: a wiki-markup string's length, or the length of an
 * ADF document's JSON (the stored form).
 */
export const textSize = (value: unknown): number =>
  typeof value === 'string' ? value.length : JSON.stringify(value).length;

/** Why Jira refuses a rich-text value, in its words; `schema` carries the ADF schema's own reason. */
export interface RichTextRefusal {
  message: string;
  schema?: string;
}

/**
 * Checks a description or comment body: v3 takes ADF only (valid against Atlassian's schema), v2 (Data
 * Center) wiki-markup strings only; both at most TEXT_LIMIT characters. `notAdf` is the field's message
 * for a plain string sent to v3.
 */
export function richTextRefusal(
  ctx: JiraContext,
  value: unknown,
  notAdf: string,
  notString: string,
): RichTextRefusal | null {
  if (ctx.version === 3) {
    if (typeof value === 'string' || typeof value !== 'object' || value === null) return { message: notAdf };
    const schema = adfProblem(value);
    if (schema) return { message: NOT_ADF_CONTENT, schema };
  } else if (typeof value !== 'string') return { message: notString };
  return textSize(value) > TEXT_LIMIT ? { message: TEXT_TOO_LONG } : null;
}

/** The header that tells a sandbox user which part of the document the schema refused. */
export const schemaHeader = (r: RichTextRefusal | null): Record<string, string> =>
  r?.schema ? { 'X-Sandbox-ADF-Problem': r.schema } : {};
