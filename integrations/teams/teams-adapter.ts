import {
  CloudAdapter,
  OutboundHostValidator,
  type AuthConfiguration,
  type OutboundUrlPolicy,
} from '@microsoft/agents-hosting';
import type { Secret } from '../../src/config/secret';
import type { Logger } from '../../src/ports/logger';
import { urlUnder } from '../http/url-under';

/** The bot's Entra app registration. No clientId: anonymous sandbox mode (refused by the SDK in production). */
export interface TeamsBotAuth {
  /** The Microsoft App ID (Azure Bot resource → Entra app). */
  clientId: string | null;
  /** Client secret of that app; null with a managed identity. */
  clientSecret: Secret | null;
  /** Single-tenant bots: the tenant GUID. Multi-tenant: null (the SDK then uses botframework.com). */
  tenantId: string | null;
  /** Entra authority; default `https://login.microsoftonline.com`. Tests point it at a local JWKS. */
  authorityEndpoint?: string;
}

const CONNECTION = 'ServiceConnection';

/**
 * The Agents SDK CloudAdapter with an explicit configuration. The SDK also reads `clientId`, `clientSecret`,
 * `tenantId` and `Connections__*` from the environment when a key is missing, so every key is set here (even
 * to undefined) and the connection map is passed in: the bridge's config is the only source.
 *
 * Inbound: `authorizeRequest` validates the Bot Framework / Entra JWT (audience = clientId, RS256 via the
 * issuer's JWKS, issuer allow-list). Outbound: a connector client to the activity's `serviceUrl` with an
 * MSAL app token for `https://api.botframework.com`. Without a clientId both sides run anonymously —
 * accepted by the SDK only when NODE_ENV is not `production`.
 */
export function createTeamsAdapter(opts: {
  auth: TeamsBotAuth;
  logger: Logger;
  /** Which `serviceUrl`s an activity may name and the connector may call (`sandboxServiceUrls`, `microsoftServiceUrls`). */
  serviceUrls: OutboundUrlPolicy;
}): CloudAdapter {
  const { auth } = opts;
  const settings: AuthConfiguration = {
    clientId: auth.clientId ?? undefined,
    clientSecret: auth.clientSecret?.reveal(),
    tenantId: auth.tenantId ?? undefined,
    authorityEndpoint: auth.authorityEndpoint,
    // Off by default in the SDK; without it any tenant's signature-valid token with our audience passes.
    validateIssuer: true,
  };
  const config: AuthConfiguration = {
    ...settings,
    connections: new Map([[CONNECTION, settings]]),
    connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }],
  };
  // With the policy given, the SDK reads no OutboundHostValidator__* variables; validateServiceUrl also
  // makes it refuse (400) an activity whose serviceUrl host differs from the token's `serviceurl` claim.
  const adapter = new CloudAdapter(
    config,
    undefined,
    undefined,
    { validateServiceUrl: true },
    opts.serviceUrls,
  );
  // The SDK's default posts "The agent encountered an error or bug." into the conversation.
  adapter.onTurnError = async (_context, error) => {
    opts.logger.error('teams: turn failed', { error: error.message });
  };
  return adapter;
}

/** Whether the adapter runs without an app identity (sandbox): no inbound JWT, no outbound token. */
export const isAnonymous = (adapter: CloudAdapter): boolean => !adapter.getClientId();

/**
 * Real Teams: only Microsoft's Bot Connector hosts (the SDK's built-in list: smba.trafficmanager.net,
 * botframework.com, …) plus `extraHosts` (exact hosts or suffixes), for inbound activities and for every
 * connector call, so that an activity cannot make the bridge call an attacker's `serviceUrl`.
 */
export function microsoftServiceUrls(extraHosts: readonly string[] = []): OutboundUrlPolicy {
  return new OutboundHostValidator({ enabled: true, includeDefaultMicrosoftHosts: true, hosts: extraHosts });
}

/**
 * The sandbox: only the connector emulator on the bridge itself (`<origin>/sandbox/teams/`, for each
 * origin the bridge is reached at). Anyone may send anonymous activities there; they must not make the
 * bridge post incident lists, or later incident cards, anywhere else.
 */
export function sandboxServiceUrls(origins: readonly string[], path: string): OutboundUrlPolicy {
  const allowed = urlUnder(origins.map((o) => `${new URL(o).origin}${path}/`));
  return { enabled: true, isAllowed: allowed };
}
