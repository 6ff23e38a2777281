import type { OnCallPerson } from '../core/oncall/schedule';
import type { EscalationPeople } from './escalate-incidents';
import { listOnCall, type OnCallDeps } from './list-oncall';

/**
 * The people behind escalation targets: the on-call now and next from the provider's rotation (or the
 * first of its static list), its lead, and the service manager.
 */
export function escalationPeople(
  deps: OnCallDeps & {
    leads: Readonly<Record<string, OnCallPerson | undefined>>;
    serviceManager: OnCallPerson | null;
  },
): EscalationPeople {
  return (provider, at) => {
    const p = deps.providers.find((x) => x.name === provider);
    const oncall = p ? listOnCall({ providers: [p], schedules: deps.schedules }, at)[0] : undefined;
    const person = (x: (OnCallPerson & object) | null | undefined): OnCallPerson | null => {
      if (!x) return null;
      const { name, slackUser, teamsUser, email, phone } = x;
      return {
        name,
        ...(slackUser ? { slackUser } : {}),
        ...(teamsUser ? { teamsUser } : {}),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
      };
    };
    return {
      oncall: person(oncall?.now),
      'next-oncall': person(oncall?.next ?? oncall?.also[0]),
      lead: deps.leads[provider] ?? null,
      'service-manager': deps.serviceManager,
    };
  };
}
