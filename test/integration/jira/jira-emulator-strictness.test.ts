import { adfProblem } from '../../../integrations/sandbox/jira/adf';
import { basicAuth, draft, startJira } from './harness';

const TOO_LONG = 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';
const NOT_ADF = 'The field value is not valid Atlassian Document Format (ADF) content.';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
/** An ADF document whose JSON is exactly `size` characters long. */
function docOfSize(size: number) {
  const overhead = JSON.stringify(doc(paragraph(''))).length;
  const d = doc(paragraph('x'.repeat(size - overhead)));
  expect(JSON.stringify(d)).toHaveLength(size);
  return d;
}

describe('Jira emulator: rich text as strict as Jira Cloud (ADF schema, 32,767 characters)', () => {
  let env: Awaited<ReturnType<typeof startJira>>;
  const api = (path: string, method = 'GET', body?: unknown, version = 3) =>
    fetch(`${env.server.url}/rest/api/${version}${path}`, {
      method,
      headers: { Authorization: basicAuth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const create = (description: unknown, version = 3) =>
    api(
      '/issue',
      'POST',
      { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 's', description } },
      version,
    );
  beforeEach(async () => {
    env = await startJira();
  });
  afterEach(() => env.server.close());

  // Each document uses only known node names, which the emulator used to accept.
  it.each([
    ['a text node directly in the doc', doc({ type: 'text', text: 'x' })],
    ['an empty text node', doc({ type: 'paragraph', content: [{ type: 'text', text: '' }] })],
    [
      'a taskList without its localId',
      doc({
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { localId: 'a', state: 'TODO' }, content: [] }],
      }),
    ],
    [
      'an unknown mark',
      doc({ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }),
    ],
    [
      'a heading of level 7',
      doc({ type: 'heading', attrs: { level: 7 }, content: [{ type: 'text', text: 'x' }] }),
    ],
    ['a paragraph inside a text node', doc({ type: 'paragraph', content: [paragraph('x')] })],
    ['a doc of version 2', { type: 'doc', version: 2, content: [] }],
  ])('refuses %s with 400 errors.description, saying where in a header', async (_name, body) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { description: NOT_ADF } });
    expect(res.headers.get('x-sandbox-adf-problem')).toBe(adfProblem(body));
    expect(res.headers.get('x-sandbox-adf-problem')).toMatch(/^\/.*: /);
    expect(env.emulator.state.issues).toEqual([]);
  });

  it('accepts what the adapter writes and what the ADF documentation shows', async () => {
    await env.adapter.create(draft());
    const res = await create(
      doc(
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Alerts' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'see ', marks: [{ type: 'em' }] },
            { type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href: 'https://example.com' } }] },
          ],
        },
      ),
    );
    expect(res.status).toBe(201);
    expect(env.emulator.state.issues).toHaveLength(2);
  });

  it('refuses a comment body that fails the schema, with errors.comment', async () => {
    const ref = await env.adapter.create(draft());
    const res = await api(`/issue/${ref.key}/comment`, 'POST', { body: doc({ type: 'text', text: 'x' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { comment: NOT_ADF } });
    expect(env.emulator.state.issues[0]!.comments).toEqual([]);
  });

  it('takes a description of exactly 32,767 characters of ADF and refuses one more, as Jira words it', async () => {
    expect((await create(docOfSize(32_767))).status).toBe(201);
    const res = await create(docOfSize(32_768));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { description: TOO_LONG } });
    expect(env.emulator.state.issues).toHaveLength(1);
  });

  it('applies the limit to edits, comments and Data Center wiki strings too', async () => {
    const ref = await env.adapter.create(draft());
    const edit = await api(`/issue/${ref.key}`, 'PUT', { fields: { description: docOfSize(40_000) } });
    expect(edit.status).toBe(400);
    expect(await edit.json()).toEqual({ errorMessages: [], errors: { description: TOO_LONG } });
    const comment = await api(`/issue/${ref.key}/comment`, 'POST', { body: docOfSize(32_768) });
    expect(comment.status).toBe(400);
    expect(await comment.json()).toEqual({ errorMessages: [], errors: { comment: TOO_LONG } });
    expect((await api(`/issue/${ref.key}/comment`, 'POST', { body: docOfSize(32_767) })).status).toBe(201);
    const wiki = await create('y'.repeat(32_768), 2);
    expect(wiki.status).toBe(400);
    expect(await wiki.json()).toEqual({ errorMessages: [], errors: { description: TOO_LONG } });
    expect((await create('y'.repeat(32_767), 2)).status).toBe(201);
  });

  it('records a priority change in the changelog with ids and names', async () => {
    const ref = await env.adapter.create(draft());
    expect(env.emulator.state.issues[0]!.priority).toBe('High');
    expect(
      (await api(`/issue/${ref.key}`, 'PUT', { fields: { priority: { name: 'Highest' } } })).status,
    ).toBe(204);
    // Same priority again: no change, no entry.
    await api(`/issue/${ref.key}`, 'PUT', { fields: { priority: { id: '1' } } });
    const log = (await (await api(`/issue/${ref.key}/changelog`)).json()) as {
      values: { items: Record<string, unknown>[] }[];
    };
    expect(log.values.flatMap((v) => v.items)).toEqual([
      {
        field: 'priority',
        fieldtype: 'jira',
        fieldId: 'priority',
        from: '2',
        fromString: 'High',
        to: '1',
        toString: 'Highest',
      },
    ]);
  });
});
