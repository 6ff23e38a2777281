import { Secret } from '../../src/config/secret';
import type { JiraAuthConfig } from '../../src/config/jira';
import type { ServiceNowAuthConfig } from '../../src/config/servicenow';
import { SANDBOX_IDENTITIES } from './sandbox-identities';

/**
 * The ServiceNow login for the sandbox: every secret the configuration leaves out is the sandbox's, so
 * the adapter sends it like any configured credential; secrets that are set are kept (a test may
 * configure a wrong one on purpose).
 */
export function sandboxServiceNowAuth(auth: ServiceNowAuthConfig): ServiceNowAuthConfig {
  const { user, oauthClient } = SANDBOX_IDENTITIES.servicenow;
  const password = auth.password ?? new Secret(user.password);
  return auth.type === 'basic'
    ? { ...auth, password }
    : { ...auth, password, clientSecret: auth.clientSecret ?? new Secret(oauthClient.secret) };
}

/** The Jira login for the sandbox: the sandbox's API token (Cloud) or PAT (Data Center) where none is set. */
export function sandboxJiraAuth(auth: JiraAuthConfig): JiraAuthConfig {
  const { user, pat } = SANDBOX_IDENTITIES.jira;
  return auth.type === 'basic'
    ? { ...auth, apiToken: auth.apiToken ?? new Secret(user.apiToken) }
    : { ...auth, token: auth.token ?? new Secret(pat) };
}
