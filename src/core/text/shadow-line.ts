/**
 * Transition mode in words, for both chat platforms: on the shadow provider's copy (`copy`) that it is
 * one and who owns the incident; on the owner's message who shadows it. `other` is the other side.
 */
export function shadowLine(s: {
  copy: boolean;
  otherName: string;
  otherAcknowledged: { by: string } | null;
}): string {
  const ack = s.otherAcknowledged ? `acknowledged by ${s.otherAcknowledged.by}` : 'not acknowledged yet';
  return s.copy
    ? `👥 SHADOW copy — owned by ${s.otherName} (${ack}). Acknowledging, notes and steps here are recorded as shadow actions and change no ticket.`
    : `👥 Shadowed by ${s.otherName} (${ack} there).`;
}
