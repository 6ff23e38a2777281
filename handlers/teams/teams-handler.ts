import type { ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter, Request as SdkRequest } from '@microsoft/agents-hosting';
import type { ChatCommands } from '../../src/ports/chat';
import type { Logger } from '../../src/ports/logger';
import type { Mount } from '../http/server';
import { parseJson } from '../http/parse-json';
import { readBodyOr413 } from '../http/read-body';
import { sendError } from '../http/respond';
import { validateActivity } from './activity-schema';
import { TeamsBot, type RenderResult } from './teams-bot';
import { captureWebResponse, toWebResponse } from './web-response';

export interface TeamsHandlerDeps {
  /** The Agents SDK adapter (integrations/teams/teams-adapter.ts): JWT validation and the connector. */
  adapter: CloudAdapter;
  commands: ChatCommands;
  references: { save(ref: ConversationReference): Promise<void> };
  /** CommandResult → Adaptive Card (integrations/teams/presenters `commandResultCard`). */
  render: RenderResult;
  logger: Logger;
  path?: string;
  /** Activities are small; Teams caps a message at about 100 KB. */
  maxBodyBytes?: number;
  /** Whether an activity's `serviceUrl` may be answered (the adapter's policy; the SDK enforces it too). */
  serviceUrlAllowed(url: string): boolean;
}

/**
 * `POST /teams/messages` (DESIGN.md §3). Transport only: read and parse the body (our server has no
 * Express), let the SDK validate the Bot Framework JWT, check the activity with zod, hand it to
 * `adapter.process` with the bot. Answers: 401 bad/missing token, 400 `{issues}` naming the field (also
 * for a `serviceUrl` outside the allow-list),
 * 413 over the limit, 405 other methods; invokes get the card or message the bot chose.
 */
export function createTeamsHandler(deps: TeamsHandlerDeps): Mount {
  const path = deps.path ?? '/teams/messages';
  const limit = deps.maxBodyBytes ?? 256 * 1024;
  const bot = new TeamsBot(deps);
  if (!deps.adapter.getClientId())
    // The SDK accepts a request without Authorization when no clientId is configured (and NODE_ENV is not
    // production): fine against the sandbox emulator, never in front of real Teams.
    deps.logger.warn(
      'teams: no Microsoft App ID configured; accepting unauthenticated activities (sandbox mode)',
      {
        path,
      },
    );

  return async (req, res, url) => {
    if (url.pathname !== path) return false;
    if (req.method !== 'POST') {
      sendError(res, 405, 'method_not_allowed', 'use POST', { headers: { allow: 'POST' } });
      return true;
    }
    const request: SdkRequest = { headers: req.headers, method: 'POST' };
    const auth = captureWebResponse();
    let authorized = false;
    await deps.adapter.authorizeRequest(request, auth, () => {
      authorized = true;
    });
    if (!authorized) {
      const reason = (auth.body as { 'jwt-auth-error'?: unknown } | undefined)?.['jwt-auth-error'];
      sendError(
        res,
        401,
        'unauthorized',
        `Bot Framework token rejected: ${String(reason ?? 'unauthorized')}`,
        { headers: { 'www-authenticate': 'Bearer', connection: 'close' } },
      );
      return true;
    }
    // The JWT is in the Authorization header: checked above, before a byte of the body is read.
    const raw = await readBodyOr413(req, res, limit);
    if (!raw) return true;
    const parsed = parseJson(raw);
    if (!parsed.ok) {
      const { error, message, path: at } = parsed.problem;
      sendError(res, 400, error, message, at ? { issues: [{ path: at, message }] } : {});
      return true;
    }
    const valid = validateActivity(parsed.value);
    if (!valid.ok) {
      sendError(res, 400, 'invalid_payload', 'not a Teams activity this bot understands', {
        issues: valid.issues,
      });
      return true;
    }
    const serviceUrl = (parsed.value as { serviceUrl: string }).serviceUrl;
    if (!deps.serviceUrlAllowed(serviceUrl)) {
      // Checked before the SDK (which would answer a bare 400) and before a conversationUpdate is stored.
      deps.logger.warn('teams: activity refused, serviceUrl not allowed', { serviceUrl });
      sendError(res, 400, 'invalid_service_url', `serviceUrl ${serviceUrl} is not allowed here`, {
        issues: [
          {
            path: 'serviceUrl',
            message: 'not a Microsoft Bot Connector host (or, in the sandbox, this server)',
          },
        ],
      });
      return true;
    }
    request.body = parsed.value as Record<string, unknown>;
    await deps.adapter.process(request, toWebResponse(res), (context) => bot.run(context));
    if (!res.writableEnded) res.end();
    return true;
  };
}
