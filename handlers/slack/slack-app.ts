import { App, HTTPReceiver, isValidSlackRequest, type Logger as BoltLogger } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mount } from '../http/server';
import type { Clock } from '../../src/ports/clock';
import { readBodyOr413 } from '../http/read-body';
import { sendError } from '../http/respond';
import { responseUrlsOf, slackPreflightProblem } from './slack-preflight';
import { registerIncidentButtons, registerShiftButtons } from './actions/incident-buttons';
import { registerItsmCommand } from './commands/itsm';
import { registerAppHome } from './events/app-home';
import type { SlackHandlerDeps } from './slack-deps';
import { registerResolveNoteView } from './views/resolve-note';
import { registerHandoffButtons } from './actions/handoff-buttons';
import { registerHandoffNoteView } from './views/handoff-note';
import { registerHandoffRejectView } from './views/handoff-reject';

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  /** Web API base URL with trailing slash (the sandbox emulator, or Slack's). */
  apiUrl: string;
  /** Bolt's log lines, into our log (integrations/slack `slackLogger`). */
  logger: BoltLogger;
  /** Socket Mode (no inbound HTTP): needs the app-level token. */
  socketMode?: { appToken: string };
  path?: string;
  /** Largest request body read for the signature check (413 above); Slack's payloads are far smaller. */
  maxBodyBytes?: number;
  /**
   * In the sandbox (whose signing secret is published): the `response_url`s the bridge may POST to —
   * only its own Slack emulator, so a signed request cannot make it call anywhere else (SSRF).
   */
  responseUrlAllowed?: (url: string) => boolean;
  /**
   * The wall clock for the 5-minute signature window. Not the app's clock (tests move that one): Bolt's
   * own check reads the wall clock, and ours must agree with it.
   */
  signatureClock: Clock;
}

/** How long a request key is remembered: Slack retries for about 5 minutes, signatures are valid 5. */
const REMEMBER_MS = 60 * 60 * 1000;

/**
 * The Slack app (Bolt) in HTTP mode on our own server at POST /slack/events, or in Socket Mode.
 * Every request passes Bolt's signature check (HMAC-SHA256, 5-minute window, constant-time compare);
 * on top of it, a request whose exact signature was already seen (a replay) and an event whose
 * `event_id` was already handled (Slack's retries, `X-Slack-Retry-Num`) are acknowledged and dropped.
 */
export async function createSlackApp(
  deps: SlackHandlerDeps,
  o: SlackAppOptions,
): Promise<{ app: App; mount: Mount; start(): Promise<void>; stop(): Promise<void> }> {
  const path = o.path ?? '/slack/events';
  const logger = o.logger;
  const receiver = o.socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: o.signingSecret,
        endpoints: path,
        logger,
        processBeforeResponse: false,
        customPropertiesExtractor: (req) => ({
          requestSignature: String(req.headers['x-slack-signature'] ?? ''),
        }),
      });
  const app = new App({
    token: o.botToken,
    ...(receiver
      ? { receiver }
      : { socketMode: true, appToken: o.socketMode!.appToken, signingSecret: o.signingSecret }),
    logger,
    deferInitialization: true,
    clientOptions: { slackApiUrl: o.apiUrl, retryConfig: { retries: 2 }, rejectRateLimitedCalls: false },
  });

  app.use(async ({ body, context, next, ack }) => {
    const now = deps.now();
    const forget = new Date(now.getTime() - REMEMBER_MS).toISOString();
    const b = body as { event_id?: string; type?: string };
    const keys = [
      ...(typeof context.requestSignature === 'string' && context.requestSignature
        ? [`slack:sig:${context.requestSignature}`]
        : []),
      ...(b.event_id ? [`slack:event:${b.event_id}`] : []),
    ];
    for (const key of keys) {
      if (!(await deps.store.requests.firstSeen(key, now.toISOString(), forget))) {
        deps.logger.info('slack request already handled; dropped', {
          key: key.split(':').slice(0, 2).join(':'),
          retry: context.retryNum ?? undefined,
        });
        if (ack) await (ack as () => Promise<void>)();
        return;
      }
    }
    await next();
  });

  registerItsmCommand(app, deps);
  registerIncidentButtons(app, deps);
  registerShiftButtons(app, deps);
  registerResolveNoteView(app, deps);
  registerHandoffButtons(app, deps);
  registerHandoffNoteView(app, deps);
  registerHandoffRejectView(app, deps);
  registerAppHome(app, deps);
  app.error(async (err) => {
    deps.logger.error('slack listener failed', { error: err.message });
  });

  const mount: Mount = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!receiver || url.pathname !== path) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'method_not_allowed', message: 'Slack sends POST requests here' }));
      return true;
    }
    // Refuse what cannot be Slack before reading a byte of the body (issue 12: unsigned slow bodies
    // used to hold the server's request budget for minutes).
    const problem = slackPreflightProblem(req.headers, o.signatureClock.now().getTime());
    if (problem) {
      sendError(res, 401, 'unauthorized', problem, { headers: { connection: 'close' } });
      return true;
    }
    const rawBody = await readBodyOr413(req, res, o.maxBodyBytes ?? 1024 * 1024);
    if (!rawBody) return true;
    // Only for requests that pass the signature check (the others get Bolt's 401 as always).
    const allowed = o.responseUrlAllowed;
    const foreign =
      allowed &&
      signedBySlack(req, rawBody, o.signingSecret, o.signatureClock.now().getTime()) &&
      responseUrlsOf(rawBody, req.headers['content-type']).find((u) => !allowed(u));
    if (foreign) {
      sendError(res, 400, 'invalid_response_url', `response_url ${foreign} is not this server's sandbox`, {
        issues: [
          { path: 'response_url', message: 'in the sandbox it must point at /sandbox/slack/api/ here' },
        ],
      });
      return true;
    }
    // Bolt verifies and parses a body that is already buffered (HTTPModuleFunctions.bufferIncomingMessage).
    receiver.requestListener(Object.assign(req, { rawBody }), res);
    return true;
  };
  return {
    app,
    mount,
    async start() {
      await app.init();
      if (o.socketMode) await app.start();
    },
    async stop() {
      if (o.socketMode) await app.stop();
    },
  };
}

/** Bolt's own HMAC check (v0, 5-minute window) on the buffered body. */
function signedBySlack(req: IncomingMessage, rawBody: Buffer, signingSecret: string, nowMs: number): boolean {
  return isValidSlackRequest({
    signingSecret,
    body: rawBody.toString('utf8'),
    headers: {
      'x-slack-signature': String(req.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
    },
    nowMilliseconds: nowMs,
  });
}
