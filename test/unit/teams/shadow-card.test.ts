import { incidentCard } from '../../../integrations/teams/presenters/incident-card';
import { incidentMessage } from '../../../integrations/slack/presenters';
import { validateBlocks } from '../../../integrations/sandbox/slack/block-kit';
import { chatIncident } from './chat-incident';
import { incident } from '../slack/incident-fixture';

const copy = { copy: true, otherName: 'Old NOC', otherAcknowledged: null };
const owners = {
  copy: false,
  otherName: 'New NOC',
  otherAcknowledged: { by: 'Nina', at: '2027-01-04T08:03:00Z' },
};

describe('transition mode on the incident message (both platforms)', () => {
  it.each([
    ['the shadow copy', copy, 'SHADOW copy — owned by Old NOC (not acknowledged yet)'],
    ["the owner's message", owners, 'Shadowed by New NOC (acknowledged by Nina there)'],
  ])('Teams: %s says which side it is', (_name, shadow, line) => {
    const card = JSON.stringify(incidentCard(chatIncident({ shadow }), { interactive: true }));
    expect(card).toContain(line);
    expect(JSON.stringify(incidentCard(chatIncident(), { interactive: true }))).not.toContain('👥');
  });

  it('Slack: the copy is marked in the text and the blocks, and the blocks stay valid', () => {
    const msg = incidentMessage(incident({ shadow: copy }));
    expect(msg.text).toMatch(/^\[shadow\] /);
    expect(JSON.stringify(msg.blocks)).toContain('SHADOW copy — owned by Old NOC');
    expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
    expect(incidentMessage(incident()).text).not.toContain('[shadow]');
  });
});
