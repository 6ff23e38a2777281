import { issueDescription, issueDescriptionWiki, link, type AdfNode } from '../../../integrations/jira/adf';
import { escapeWiki, wikiLink } from '../../../integrations/jira/wiki-markup';
import { draft } from '../../integration/jira/harness';

const EVIL = 'javascript:alert(document.cookie)';

function marks(nodes: AdfNode[]): { type: string; attrs?: Record<string, unknown> }[] {
  return nodes.flatMap((n) => [...(n.marks ?? []), ...marks(n.content ?? [])]);
}

describe('Jira Cloud (ADF): link marks only for http(s) (issue 12, finding 6)', () => {
  it('a javascript: URL stays plain text', () => {
    expect(link('Monitoring (generator)', EVIL)).toEqual({ type: 'text', text: 'Monitoring (generator)' });
  });

  it('the issue description links http(s) only', () => {
    const description = issueDescription(
      draft({
        links: [
          { label: 'Monitoring (generator)', url: EVIL },
          { label: 'Grafana', url: 'https://grafana.example.com/d/abc' },
        ],
      }),
    );
    const hrefs = marks(description.content)
      .filter((m) => m.type === 'link')
      .map((m) => m.attrs?.href);
    expect(hrefs).toEqual(['https://grafana.example.com/d/abc']);
  });
});

describe('Jira Data Center wiki markup: one escaper (issue 12, finding 6)', () => {
  it.each([
    ['[click|javascript:alert(1)]', '\\[click\\|javascript:alert(1)\\]'],
    ['{html}<script>alert(1)</script>{html}', '\\{html\\}<script>alert(1)</script>\\{html\\}'],
    ['!https://evil.example.com/track.png!', '\\!https://evil.example.com/track.png\\!'],
    [
      '*bold* _it_ -strike- +under+ ^sup^ ~sub~ ??cite??',
      '\\*bold\\* \\_it\\_ \\-strike\\- \\+under\\+ \\^sup\\^ \\~sub\\~ \\?\\?cite\\?\\?',
    ],
    ['||a||b||', '\\|\\|a\\|\\|b\\|\\|'],
    ['h1. Not a heading\nbq. nor a quote', 'h1&#46; Not a heading\nbq&#46; nor a quote'],
    ['# not a list', '\\# not a list'],
    ['C:\\temp\\\\x', 'C:&#92;temp&#92;&#92;x'],
  ])('escapes %j', (input, want) => {
    expect(escapeWiki(input)).toBe(want);
  });

  it('links only http(s) and keeps the link from ending early', () => {
    expect(wikiLink('Grafana', EVIL)).toBe('Grafana');
    expect(wikiLink('a|b', 'https://grafana.example.com/d/x|y]z')).toBe(
      '[a\\|b|https://grafana.example.com/d/x%7Cy%5Dz]',
    );
  });

  it('the Data Center description escapes the alert text and links http(s) only', () => {
    const wiki = issueDescriptionWiki(
      draft({
        description: 'Disk full [see here|javascript:alert(1)] {html}<b>x</b>{html}\nh1. Big',
        links: [
          { label: 'Monitoring (generator)', url: EVIL },
          { label: 'Grafana', url: 'https://grafana.example.com/d/abc' },
        ],
      }),
    );
    expect(wiki).not.toMatch(/(?<!\\)\[see here/);
    expect(wiki).not.toMatch(/(?<!\\)\{html/);
    expect(wiki).not.toMatch(/^h1\. Big/m);
    expect(wiki).not.toMatch(/(?<!\\)\|javascript:/);
    expect(wiki).toContain('* [Grafana|https://grafana.example.com/d/abc]');
    expect(wiki).toContain('* Monitoring (generator)');
  });
});
