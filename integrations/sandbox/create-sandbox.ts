import type { JiraAuthConfig, JiraConfig } from '../../src/config/jira';
import type { Provider } from '../../src/config/providers';
import type { ServiceNowAuthConfig, ServiceNowConfig } from '../../src/config/servicenow';
import { createJiraEmulator, type JiraEmulator } from './jira/emulator';
import { sandboxJiraAuth, sandboxServiceNowAuth } from './sandbox-auth';
import { SANDBOX_IDENTITIES, SANDBOX_PEOPLE } from './sandbox-identities';
import type { EmulatorHandle } from './serve-emulator';
import { createServiceNowEmulator, type ServiceNowEmulator } from './servicenow/emulator';
import { createSlackEmulator, type SlackEmulator } from './slack/emulator';
import { createTeamsEmulator, type TeamsEmulator } from './teams/emulator';
import { seedTeamsChannels } from './teams/seed-teams-channels';

/** The emulators that run, by system. */
export interface Sandboxes {
  servicenow?: ServiceNowEmulator;
  jira?: JiraEmulator;
  slack?: SlackEmulator;
  teams?: TeamsEmulator;
}

/** Where a sandboxed system is mounted on the bridge's server, and the login its adapter uses there. */
export interface SandboxLogin<Auth> {
  path: string;
  auth: Auth;
}

/** What the composition gets back: the emulators, their handlers and how the adapters reach them. */
export interface Sandbox {
  /** `RunningApp.sandboxes`: tests read the emulators' state and call logs here. */
  emulators: Sandboxes;
  /** Request handlers for the bridge's server; each answers only below its own /sandbox/<vendor> path. */
  mounts: EmulatorHandle[];
  /** Present exactly for the systems that run as a sandbox. */
  servicenow?: SandboxLogin<ServiceNowAuthConfig> & {
    /** The documented secret the emulator signs its pushes with; set `push` once the bridge listens. */
    pushSecret: string;
  };
  jira?: SandboxLogin<JiraAuthConfig>;
  slack?: { path: string; botToken: string };
  /** `path`: the connector emulator's mount, the only `serviceUrl` anonymous activities may name. */
  teams?: { seedChannels: typeof seedTeamsChannels; path: string };
  /** The documented signing secret; the composition accepts it only while every system is a sandbox. */
  slackSigningSecret: string;
  /**
   * Where the sandboxed systems are: the shared sandbox's URL (SANDBOX_URL, `itsm-bridge sandbox`), or
   * absent when they are mounted on this bridge's own server.
   */
  origin?: string;
}

export interface SandboxOptions {
  /** Ticket-system config with the providers' groups and projects merged in: all must exist. */
  servicenow: ServiceNowConfig;
  jira: JiraConfig;
  providers: Provider[];
  /** The systems that run as a sandbox (no URL or token configured). */
  run: Record<keyof Sandboxes, boolean>;
  /**
   * The shared sandbox's URL (SANDBOX_URL): its process holds the emulators, so none is created here and
   * the adapters log in there with the same sandbox identities.
   */
  shared?: string;
}

/**
 * Emulators for the systems that run as a sandbox, seeded with what the configuration names (assignment
 * groups, Jira projects, Slack channels) and the sandbox people, each mounted under /sandbox/<vendor>.
 */
export function createSandbox(o: SandboxOptions): Sandbox {
  const id = SANDBOX_IDENTITIES;
  const sandbox: Sandbox = { emulators: {}, mounts: [], slackSigningSecret: id.slack.signingSecret };
  if (o.shared) return withLogins(o, { ...sandbox, origin: o.shared.replace(/\/+$/, '') });
  const { emulators } = sandbox;
  if (o.run.servicenow) {
    const groups = [
      ...new Set([
        o.servicenow.defaultAssignmentGroup,
        ...Object.values(o.servicenow.assignmentGroups),
        'Service Desk',
      ]),
    ];
    emulators.servicenow = createServiceNowEmulator({
      prefix: id.servicenow.path,
      groups,
      rules: { descriptionMaxLength: o.servicenow.descriptionMaxLength },
    });
  }
  if (o.run.jira) {
    const keys = [
      ...new Set([
        o.jira.defaultProject.projectKey,
        ...Object.values(o.jira.projects).map((p) => p.projectKey),
      ]),
    ];
    emulators.jira = createJiraEmulator({
      prefix: id.jira.path,
      projects: keys.map((key) => ({ key, issueTypes: ['Task', 'Incident', 'Bug'] })),
    });
  }
  if (o.run.slack) {
    const channels = slackChannels(o.providers);
    emulators.slack = createSlackEmulator({
      prefix: id.slack.path,
      channels: channels.length > 0 ? channels : [{ id: 'C0SANDBOX01', name: 'itsm-alerts' }],
      users: SANDBOX_PEOPLE,
    });
  }
  if (o.run.teams) {
    emulators.teams = createTeamsEmulator({ prefix: id.teams.path });
  }
  sandbox.mounts = Object.values(emulators).map(
    (e: ServiceNowEmulator | JiraEmulator | SlackEmulator | TeamsEmulator) => (req, res) =>
      e.handle(req, res),
  );
  return withLogins(o, sandbox);
}

/** How the adapters reach each sandboxed system, here or in the shared sandbox: the same identities. */
function withLogins(o: SandboxOptions, sandbox: Sandbox): Sandbox {
  const id = SANDBOX_IDENTITIES;
  if (o.run.servicenow)
    sandbox.servicenow = {
      path: id.servicenow.path,
      auth: sandboxServiceNowAuth(o.servicenow.auth),
      pushSecret: id.servicenow.pushSecret,
    };
  if (o.run.jira) sandbox.jira = { path: id.jira.path, auth: sandboxJiraAuth(o.jira.auth) };
  if (o.run.slack) sandbox.slack = { path: id.slack.path, botToken: id.slack.botToken };
  if (o.run.teams) sandbox.teams = { seedChannels: seedTeamsChannels, path: id.teams.path };
  return sandbox;
}

/** Slack channel ids for the providers' channel names in the sandbox (stable: C0 + index). */
function slackChannels(providers: Provider[]) {
  const names = [
    ...new Set(
      providers
        .map((p) => p.chat?.slackChannel)
        .filter((c): c is string => !!c)
        .map((c) => c.replace(/^#/, '')),
    ),
  ];
  return names.map((name, i) => ({ id: `C0SANDBOX${String(i + 1).padStart(2, '0')}`, name }));
}
