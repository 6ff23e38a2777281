import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Erika Engineer, the Jira sandbox's person: what she changes over the emulator's API is a person's edit. */
export const ENGINEER_AUTH = basic(
  SANDBOX_IDENTITIES.jira.human.email,
  SANDBOX_IDENTITIES.jira.human.apiToken,
);

/** The ServiceNow sandbox's service desk (`service.desk`): its edits are a person's edits. */
export const SERVICE_DESK_AUTH = basic(
  SANDBOX_IDENTITIES.servicenow.human.userName,
  SANDBOX_IDENTITIES.servicenow.human.password,
);
