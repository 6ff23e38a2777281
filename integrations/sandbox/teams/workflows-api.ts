import type { EmuRequest, EmuResponse } from '../http-util';
import { isRecord, parseJson } from '../http-util';
import type { TeamsState } from './state';

/**
 * A Workflows (Power Automate) "When a Teams webhook request is received" trigger: 202 with an empty body
 * for a message with an Adaptive Card attachment; the Post-card step fails on anything else, which the
 * emulator reports up front as 400 with Power Automate's `{error:{code,message}}` envelope.
 */
export function workflowsApi(req: EmuRequest, state: TeamsState, now: () => number): EmuResponse | null {
  const m = /^\/workflows\/([^/]+)\/?$/.exec(req.path);
  if (!m) return null;
  if (req.method !== 'POST') return invalid(405, 'MethodNotAllowed', 'the trigger accepts POST only');
  let payload: unknown;
  try {
    payload = parseJson(req.body);
  } catch {
    return invalid(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
  }
  if (!isRecord(payload) || payload.type !== 'message' || !Array.isArray(payload.attachments))
    return invalid(400, 'InvalidRequestContent', "Expected {type:'message', attachments:[…]}.");
  const first: unknown = payload.attachments[0];
  if (
    !isRecord(first) ||
    first.contentType !== 'application/vnd.microsoft.card.adaptive' ||
    !isRecord(first.content)
  )
    return invalid(400, 'InvalidRequestContent', 'attachments[0] must be an Adaptive Card.');
  if (first.content.type !== 'AdaptiveCard')
    return invalid(400, 'InvalidRequestContent', "attachments[0].content.type must be 'AdaptiveCard'.");
  state.workflows.push({ workflowId: decodeURIComponent(m[1]!), payload, card: first.content, at: now() });
  return { status: 202, raw: '' };
}

const invalid = (status: number, code: string, message: string): EmuResponse => ({
  status,
  body: { error: { code, message } },
});
