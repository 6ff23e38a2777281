import type { ProviderOnCall } from '../app/list-oncall';
import type { OnCallPerson } from '../core/oncall/schedule';
import { localTime } from '../report/format';

const who = (p: OnCallPerson) => [p.name, p.phone].filter(Boolean).join(' ');

function line(p: ProviderOnCall): string {
  const label = `• ${p.displayName}: `;
  if (p.source === 'none') return `${label}no on-call rotation configured (oncall: or providers[].oncall)`;
  if (p.source === 'static' || !p.timeZone)
    return label + [p.now, ...p.also].flatMap((x) => (x ? [who(x)] : [])).join(', ');
  const tz = p.timeZone;
  const now = p.now ? who(p.now) + (p.now.to ? ` until ${localTime(p.now.to, tz)}` : '') : 'nobody';
  const next = p.next ? ` — next: ${who(p.next)} from ${localTime(p.next.at, tz)}` : '';
  return label + now + next;
}

/** The text of `/itsm oncall`: now and next per provider, handover times in the rotation's zone. */
export function oncallAnswer(list: readonly ProviderOnCall[]): string {
  return ['On call now:', ...list.map(line)].join('\n');
}
