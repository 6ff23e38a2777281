import type { Row } from './encoded-query';
import { REFERENCES, tableRows, type ServiceNowState } from './state';
import type { EmuResponse } from '../http-util';

/** ServiceNow's error envelope: `{"error":{"message","detail"},"status":"failure"}`. */
export const snError = (status: number, message: string, detail: string | null = null): EmuResponse => ({
  status,
  body: { error: { message, detail }, status: 'failure' },
});

const CHOICE_LABELS: Record<string, Record<string, string>> = {
  state: { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' },
  impact: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  urgency: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  priority: {
    '1': '1 - Critical',
    '2': '2 - High',
    '3': '3 - Moderate',
    '4': '4 - Low',
    '5': '5 - Planning',
  },
};

export interface RenderOptions {
  fields: string[] | null;
  displayValue: 'true' | 'false' | 'all';
  excludeReferenceLink: boolean;
  baseUrl: string;
}

export function renderOptions(query: URLSearchParams, baseUrl: string): RenderOptions {
  const fields = query.get('sysparm_fields');
  const dv = query.get('sysparm_display_value');
  return {
    fields: fields
      ? fields
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : null,
    displayValue: dv === 'true' || dv === 'all' ? dv : 'false',
    excludeReferenceLink: query.get('sysparm_exclude_reference_link') === 'true',
    baseUrl,
  };
}

/**
 * Renders a stored row the way the Table API does: all strings, journal fields empty, references as
 * `{link, value}` (or the bare sys_id with sysparm_exclude_reference_link=true; '' when empty).
 */
export function renderRow(
  state: ServiceNowState,
  table: string,
  row: Row,
  o: RenderOptions,
): Record<string, unknown> {
  const refs = REFERENCES[table] ?? {};
  const out: Record<string, unknown> = {};
  for (const field of o.fields ?? Object.keys(row)) {
    const value = row[field];
    if (value === undefined) continue;
    const refTable = refs[field];
    const display = displayOf(state, field, value, refTable);
    const link = refTable && value ? `${o.baseUrl}/api/now/table/${refTable}/${value}` : null;
    if (o.displayValue === 'true') out[field] = display;
    else if (o.displayValue === 'all')
      out[field] =
        link && !o.excludeReferenceLink
          ? { display_value: display, link, value }
          : { display_value: display, value };
    else out[field] = link && !o.excludeReferenceLink ? { link, value } : value;
  }
  return out;
}

function displayOf(
  state: ServiceNowState,
  field: string,
  value: string,
  refTable: string | undefined,
): string {
  if (refTable) {
    const target = tableRows(state, refTable)?.find((r) => r.sys_id === value);
    return target?.name ?? target?.user_name ?? value;
  }
  return CHOICE_LABELS[field]?.[value] ?? value;
}
