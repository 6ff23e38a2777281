import { escape, link } from '../../../integrations/slack/presenters/blocks';
import { incidentMessage } from '../../../integrations/slack/presenters';
import { incident } from './incident-fixture';

describe('Slack mrkdwn: escaping and http(s) links only (issue 12, finding 6)', () => {
  it('escapes the three control characters', () => {
    expect(escape('<!channel> & <@U123> <https://x|y>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;',
    );
  });

  it('links http(s) only; other schemes give the escaped label', () => {
    expect(link('javascript:alert(1)', 'Generator <b>')).toBe('Generator &lt;b&gt;');
    expect(link('https://grafana.example.com/d/a|b>c', 'Grafana')).toBe(
      '<https://grafana.example.com/d/a%7Cb%3Ec|Grafana>',
    );
  });

  it('an incident card carries no javascript: link', () => {
    const message = incidentMessage(
      incident({
        links: {
          ...incident().links,
          monitoring: [{ label: 'Generator', url: 'javascript:alert(1)' }],
        },
      }),
    );
    expect(JSON.stringify(message)).not.toContain('javascript:');
  });
});
