import { z } from 'zod';
import { CHAT_ACTIONS, HANDOFF_ACTIONS, SHIFT_ACK_ACTION, type ChatAction } from '../../src/ports/chat';

/**
 * The fields of a Bot Framework activity the Teams handler relies on (api-facts §8.3). Loose objects: Teams
 * sends many more fields (entities, channelData, locale…) and the SDK gets the body untouched.
 */
const Account = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

/** `data` of our Action.Execute / Action.Submit buttons, with card inputs (`note`) merged in by Teams. */
export const CardActionData = z
  .looseObject({
    verb: z.enum([CHAT_ACTIONS.ack, CHAT_ACTIONS.resolve, CHAT_ACTIONS.handoff, CHAT_ACTIONS.step]),
    incidentId: z.coerce.number().int().positive(),
    step: z.coerce.number().int().min(0).optional(),
    note: z.string().max(4000).optional(),
  })
  .refine((d) => d.verb !== CHAT_ACTIONS.step || d.step !== undefined, {
    path: ['step'],
    message: 'required for a runbook step',
  });
export type CardActionData = z.infer<typeof CardActionData>;

/** `data` of Accept / Reject on a hand-off offer card, with the reject form's `reason` merged in. */
export const HandoffDecisionData = z.looseObject({
  verb: z.enum([HANDOFF_ACTIONS.accept, HANDOFF_ACTIONS.reject]),
  handoffId: z.coerce.number().int().positive(),
  reason: z.string().max(4000).optional(),
});
export type HandoffDecisionData = z.infer<typeof HandoffDecisionData>;

const formText = (max: number) => z.string().max(max).optional();
/**
 * `data` of the hand-off form's Offer (`submit: true`), with its inputs merged in by Teams: all text
 * (Input.Number may arrive as a number). The note itself is checked with HandoffNote by the bot.
 */
export const HandoffOfferData = z.looseObject({
  verb: z.literal(CHAT_ACTIONS.handoff),
  submit: z.literal(true),
  incidentId: z.coerce.number().int().positive(),
  to: formText(100),
  situation: formText(8000),
  actionsTaken: formText(8000),
  nextSteps: formText(8000),
  hypothesis: formText(8000),
  branches: formText(2000),
  users: z.union([z.string().max(20), z.number()]).optional(),
  nextCheckpointDate: formText(20),
  nextCheckpointTime: formText(20),
});
export type HandoffOfferData = z.infer<typeof HandoffOfferData>;

/** The shift handover's Acknowledge (answered by the bot with `shift ack <id>`). */
const ShiftAckData = z.looseObject({ verb: z.literal(SHIFT_ACK_ACTION), handoverId: z.unknown() });

/** Which schema a card action's data (verb merged in) is checked against. */
export function cardDataSchema(data: { verb?: unknown; submit?: unknown }): z.ZodType {
  if (data.verb === HANDOFF_ACTIONS.accept || data.verb === HANDOFF_ACTIONS.reject)
    return HandoffDecisionData;
  if (data.verb === CHAT_ACTIONS.handoff && data.submit === true) return HandoffOfferData;
  if (data.verb === SHIFT_ACK_ACTION) return ShiftAckData;
  return CardActionData;
}

const Base = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  channelId: z.string().min(1),
  // Replies go to serviceUrl: without it the bot cannot answer.
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: Account,
  recipient: Account,
  conversation: z.looseObject({ id: z.string().min(1) }),
});

const Message = Base.extend({
  type: z.literal('message'),
  text: z.string().max(10_000).optional(),
  // Action.Submit puts the button data here (and the text is empty).
  value: CardActionData.optional(),
}).refine((a) => a.text !== undefined || a.value !== undefined, {
  path: ['text'],
  message: 'a message needs text or value',
});

const CardInvoke = Base.extend({
  type: z.literal('invoke'),
  name: z.literal('adaptiveCard/action'),
  value: z.looseObject({
    action: z.looseObject({
      type: z.literal('Action.Execute'),
      verb: z.string().optional(),
      data: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
});

const OtherInvoke = Base.extend({
  type: z.literal('invoke'),
  name: z
    .string()
    .min(1)
    .refine((n) => n !== 'adaptiveCard/action'),
});

/** Message, card action, conversation/installation updates; other activity types pass with the base fields. */
export const TeamsActivity = z.union([
  Message,
  CardInvoke,
  OtherInvoke,
  Base.extend({
    type: z
      .string()
      .min(1)
      .refine((t) => t !== 'message' && t !== 'invoke'),
  }),
]);

/** Validates the activity; issues name the offending field (`value.action.data.incidentId`). */
export function validateActivity(
  body: unknown,
): { ok: true } | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = TeamsActivity.safeParse(body);
  if (parsed.success) {
    const invoke = CardInvoke.safeParse(body);
    if (!invoke.success) return { ok: true };
    // The button data lives in action.data (verb on the action); check it with the same schema as Submit.
    const { verb, data } = invoke.data.value.action;
    const merged = { verb, ...data };
    const action = cardDataSchema(merged).safeParse(merged);
    return action.success ? { ok: true } : { ok: false, issues: issuesOf(action.error, 'value.action.data') };
  }
  return { ok: false, issues: issuesOf(bestError(body, parsed.error), '') };
}

/** A union reports the first branch's issues; re-run the branch the `type` asks for to name the real field. */
function bestError(body: unknown, fallback: z.ZodError): z.ZodError {
  const b = (body ?? {}) as { type?: unknown; name?: unknown };
  const branch =
    b.type === 'message'
      ? Message
      : b.type === 'invoke'
        ? b.name === 'adaptiveCard/action'
          ? CardInvoke
          : OtherInvoke
        : Base;
  const r = branch.safeParse(body);
  return r.success ? fallback : r.error;
}

function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

/** Button data → the port's ChatAction. */
export function toChatAction(data: CardActionData): ChatAction {
  switch (data.verb) {
    case CHAT_ACTIONS.ack:
      return { verb: 'ack', incidentId: data.incidentId };
    case CHAT_ACTIONS.handoff:
      return { verb: 'handoff', incidentId: data.incidentId };
    case CHAT_ACTIONS.resolve:
      return { verb: 'resolve', incidentId: data.incidentId, note: data.note?.trim() || null };
    case CHAT_ACTIONS.step:
      return { verb: 'step', incidentId: data.incidentId, step: data.step ?? 0 };
  }
}
