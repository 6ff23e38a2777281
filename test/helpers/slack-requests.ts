import { createHmac } from 'node:crypto';

import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';

/**
 * A `response_url` nobody reads. Outside the sandbox's own emulator, so only where no sandbox checks it;
 * sandbox tests pass `sandboxResponseUrl(app.url)`.
 */
const UNUSED_RESPONSE_URL = 'http://127.0.0.1:9/unused';

/** A response URL on the bridge's Slack emulator (the only kind the sandbox accepts) that nobody minted. */
export const sandboxResponseUrl = (bridgeUrl: string) =>
  `${bridgeUrl}${SANDBOX_IDENTITIES.slack.path}/_responses/unused`;

/** Slack's v0 signature over `v0:{timestamp}:{raw body}`. */
export function slackHeaders(body: string, o: { secret?: string; timestamp?: number } = {}) {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', o.secret ?? SANDBOX_IDENTITIES.slack.signingSecret)
    .update(`v0:${ts}:${body}`)
    .digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${sig}`,
  };
}

/** POSTs a raw form body to /slack/events with the given headers. */
export async function postSlack(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** A slash command as Slack sends it (form fields). */
export function slashBody(o: {
  text: string;
  user: string;
  channel: string;
  triggerId?: string;
  responseUrl?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated',
    team_id: 'T0SANDBOX',
    team_domain: 'sandbox',
    channel_id: o.channel,
    channel_name: 'dms-app-oncall',
    user_id: o.user,
    user_name: o.user,
    command: '/itsm',
    text: o.text,
    api_app_id: 'A0SANDBOX',
    is_enterprise_install: 'false',
    response_url: o.responseUrl ?? UNUSED_RESPONSE_URL,
    trigger_id: o.triggerId ?? 'trigger-unused',
  }).toString();
}

/** A block_actions payload for a button on an incident message. */
export function buttonBody(o: {
  actionId: string;
  value: string;
  user: string;
  channel: string;
  messageTs: string;
  triggerId?: string;
  responseUrl?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0SANDBOX', domain: 'sandbox' },
    user: { id: o.user, username: o.user, name: o.user, team_id: 'T0SANDBOX' },
    api_app_id: 'A0SANDBOX',
    token: 'deprecated',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false },
    trigger_id: o.triggerId ?? 'trigger-unused',
    channel: { id: o.channel, name: 'dms-app-oncall' },
    message: { ts: o.messageTs, text: 'incident', blocks: [] },
    response_url: o.responseUrl ?? UNUSED_RESPONSE_URL,
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: 'actions',
        value: o.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission of the resolve dialog. */
export function resolveSubmissionBody(o: { user: string; incidentId: number; note: string }): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0SANDBOX', domain: 'sandbox' },
    user: { id: o.user, username: o.user, name: o.user, team_id: 'T0SANDBOX' },
    api_app_id: 'A0SANDBOX',
    token: 'deprecated',
    trigger_id: 'trigger-unused',
    view: {
      id: 'V0SANDBOX',
      type: 'modal',
      callback_id: 'itsm_resolve_note',
      private_metadata: String(o.incidentId),
      hash: 'h',
      state: { values: { note: { note: { type: 'plain_text_input', value: o.note } } } },
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An interaction payload (block_actions, view_submission) as Slack posts it: a form field `payload`. */
export const payloadBody = (payload: unknown): string =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
