import { z } from 'zod';

/**
 * Transition ("dual running") settings of a provider or a routing rule: the shadow provider follows
 * every incident in its own channel, and from `cutover` on the roles are swapped — the shadow owns new
 * incidents and the former owner shadows them.
 */
export const Transition = {
  /** The provider that runs alongside the owner, marked as shadow; its actions change no ticket. */
  shadow: z.string().optional(),
  /** From this instant on the shadow owns new incidents and the configured provider becomes the shadow. */
  cutover: z.iso.datetime({ offset: true }).optional(),
};

/** The transition fields as read from a provider or rule. */
export interface TransitionSettings {
  shadow?: string | undefined;
  cutover?: string | undefined;
}

/** Who owns an incident opened at `at`, and who shadows it (null: no transition). */
export interface TransitionRoles {
  owner: string;
  shadow: string | null;
}

/**
 * The roles at `at` (epoch ms): before the cutover (or without one) the configured provider owns and
 * the shadow shadows; from the cutover on they are swapped. A rule's settings win over its provider's;
 * a shadow equal to the owner is no shadow.
 */
export function transitionRoles(
  provider: string,
  settings: readonly (TransitionSettings | undefined)[],
  at: number,
): TransitionRoles {
  const s = settings.find((t) => t?.shadow !== undefined);
  if (!s?.shadow || s.shadow === provider) return { owner: provider, shadow: null };
  const swapped = s.cutover !== undefined && at >= Date.parse(s.cutover);
  return swapped ? { owner: s.shadow, shadow: provider } : { owner: provider, shadow: s.shadow };
}
