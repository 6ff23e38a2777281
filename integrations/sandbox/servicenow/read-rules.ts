import type { Row } from './encoded-query';
import { snError } from './render';
import type { EmuResponse } from '../http-util';

/**
 * What an instance's ACLs and dictionary do to the integration user's reads and writes, settable per
 * emulator (and changed at runtime through `emulator.rules`).
 */
export interface ServiceNowRules {
  /**
   * Row-level read ACLs: true hides `row` of `table` from `user`. ServiceNow applies them after
   * `sysparm_limit`/`sysparm_offset` (and after counting `X-Total-Count`), so a page comes back short while
   * more rows follow; a hidden record read by sys_id answers 404.
   */
  hiddenRows: ((table: string, user: string, row: Row) => boolean) | null;
  /**
   * user_name → tables that user may not read at all (no table read ACL passes): 403 "Insufficient
   * rights to query records". A non-admin integration user often lacks `sys_journal_field`.
   */
  unreadableTables: Record<string, string[]>;
  /** incident.description's dictionary max_length; longer values are cut without an error. */
  descriptionMaxLength: number;
}

/** A default instance: no row ACLs in the way, every table readable, description 4,000 characters. */
export const defaultRules = (): ServiceNowRules => ({
  hiddenRows: null,
  unreadableTables: {},
  descriptionMaxLength: 4000,
});

/** The 403 a Table API read answers when no read ACL on the table passes for the user. */
export function tableReadRefusal(rules: ServiceNowRules, user: string, table: string): EmuResponse | null {
  if (!(rules.unreadableTables[user] ?? []).includes(table)) return null;
  return snError(
    403,
    'Insufficient rights to query records',
    'Field(s) present in the query do not have permission to be read',
  );
}

/** Whether the user may see this row (row-level read ACL). */
export const canReadRow = (rules: ServiceNowRules, table: string, user: string, row: Row): boolean =>
  !rules.hiddenRows?.(table, user, row);
