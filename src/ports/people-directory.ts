/**
 * Looking people up in the ticket systems, so that the two-way sync can copy an assignee (issue 11):
 * a Jira account is matched to a ServiceNow user by e-mail (or by the `sync.people` table), and back.
 * The adapters cache what they find; null means "nobody", a thrown IntegrationError "ask again later".
 */

/** A ServiceNow `sys_user`. */
export interface ServiceNowPerson {
  sysId: string;
  userName: string;
  /** Display name (`name`). */
  name: string;
  email: string | null;
}

/** The ServiceNow adapter's people look-ups (active users only). */
export interface ServiceNowPeople {
  userByEmail(email: string): Promise<ServiceNowPerson | null>;
  userByUserName(userName: string): Promise<ServiceNowPerson | null>;
  /** By display name, as the sync's reader reports `assigned_to`; null when none or several match. */
  userByName(name: string): Promise<ServiceNowPerson | null>;
}

/** A Jira account (Cloud `accountId`). */
export interface JiraPerson {
  accountId: string;
  displayName: string;
  /** Null when the account's privacy settings hide it. */
  email: string | null;
}

/** The Jira adapter's people look-ups. */
export interface JiraPeople {
  /** `GET /rest/api/3/user?accountId=`; null when there is no such account. */
  account(accountId: string): Promise<JiraPerson | null>;
  /** The active account with exactly this e-mail (user search), or null. */
  accountByEmail(email: string): Promise<JiraPerson | null>;
}
