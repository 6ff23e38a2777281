import { startServiceNow, basic } from './harness';

/** Direct calls: the emulator must behave like a default instance where our adapter relies on it. */
describe('ServiceNow emulator (Table API semantics)', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  const json = { Authorization: basic(), 'Content-Type': 'application/json', Accept: 'application/json' };
  const post = (body: object, query = '') =>
    fetch(`${env.server.url}/api/now/table/incident${query}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
  const get = (path: string) => fetch(`${env.server.url}${path}`, { headers: json });

  beforeEach(async () => {
    env = await startServiceNow();
  });
  afterEach(() => env.server.close());

  it('ignores a client-sent priority and computes it from impact × urgency', async () => {
    const res = await post({ short_description: 'x', impact: 3, urgency: 3, priority: '1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/\/api\/now\/table\/incident\/[0-9a-f]{32}$/);
    const { result } = (await res.json()) as { result: Record<string, unknown> };
    expect(result).toMatchObject({ priority: '5', impact: '3', urgency: '3', state: '1', active: 'true' });
    expect(typeof result.sys_mod_count).toBe('string');
  });

  it('renders reference fields as {link, value} unless sysparm_exclude_reference_link=true', async () => {
    const group = env.emulator.state.groups[0]!;
    await post({ short_description: 'x', assignment_group: group.sys_id });
    const linked = (await (
      await get('/api/now/table/incident?sysparm_fields=assignment_group,caller_id')
    ).json()) as {
      result: Record<string, unknown>[];
    };
    expect(linked.result[0]?.assignment_group).toEqual({
      link: `${env.server.url}/api/now/table/sys_user_group/${group.sys_id}`,
      value: group.sys_id,
    });
    expect(linked.result[0]?.caller_id).toBe('');
    const bare = (await (
      await get('/api/now/table/incident?sysparm_exclude_reference_link=true')
    ).json()) as {
      result: Record<string, unknown>[];
    };
    expect(bare.result[0]?.assignment_group).toBe(group.sys_id);
    const display = (await (await get('/api/now/table/incident?sysparm_display_value=true')).json()) as {
      result: Record<string, unknown>[];
    };
    expect(display.result[0]).toMatchObject({ assignment_group: group.name, state: 'New' });
  });

  it('answers 404 with the error envelope for an unknown sys_id', async () => {
    const res = await get('/api/now/table/incident/0123456789abcdef0123456789abcdef');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: 'No Record found',
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: 'failure',
    });
  });

  it('answers 401 without credentials', async () => {
    const res = await fetch(`${env.server.url}/api/now/table/incident`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { message: 'User Not Authenticated' },
      status: 'failure',
    });
  });

  it('pages with sysparm_limit/offset, X-Total-Count and Link', async () => {
    for (let i = 0; i < 5; i++) await post({ short_description: `n${i}` });
    const res = await get('/api/now/table/incident?sysparm_limit=2&sysparm_offset=2&sysparm_fields=number');
    expect(res.headers.get('x-total-count')).toBe('5');
    const rels = Object.fromEntries(
      (res.headers.get('link') ?? '').split(',').map((part) => {
        const [, url = '', rel = ''] = /<([^>]+)>;rel="(\w+)"/.exec(part) ?? [];
        return [rel, new URL(url).searchParams.get('sysparm_offset')];
      }),
    );
    expect(rels).toEqual({ first: '0', prev: '0', next: '4', last: '4' });
    expect(((await res.json()) as { result: unknown[] }).result).toEqual([
      { number: 'INC0010003' },
      { number: 'INC0010004' },
    ]);
    const single = await get('/api/now/table/incident?sysparm_limit=10');
    expect(single.headers.get('link')).toBeNull();
  });

  it.each([
    ['impact=1', ['a']],
    ['impact!=1', ['b', 'c']],
    ['impact=1^ORimpact=3', ['a', 'c']],
    ['short_descriptionLIKEB', ['b']],
    ['short_descriptionSTARTSWITHc', ['c']],
    ['impact>1^urgency<=2', ['b']],
    ['impact>=2^ORDERBYDESCshort_description', ['c', 'b']],
    ['urgency<3^ORDERBYshort_description', ['a', 'b']],
    ['impact=1^NQimpact=3', ['a', 'c']],
    ['no_such_field=1', ['a', 'b', 'c']],
  ])('encoded query %s', async (q, expected) => {
    await post({ short_description: 'a', impact: 1, urgency: 1 });
    await post({ short_description: 'b', impact: 2, urgency: 2 });
    await post({ short_description: 'c', impact: 3, urgency: 3 });
    const res = await get(
      `/api/now/table/incident?sysparm_fields=short_description&sysparm_query=${encodeURIComponent(q)}`,
    );
    const { result } = (await res.json()) as { result: { short_description: string }[] };
    expect(result.map((r) => r.short_description)).toEqual(expected);
  });

  it('stores attachments and lists them by record', async () => {
    await post({ short_description: 'x' });
    const inc = env.emulator.state.incidents[0]!;
    const up = await fetch(
      `${env.server.url}/api/now/attachment/file?table_name=incident&table_sys_id=${inc.sys_id}&file_name=log.txt`,
      { method: 'POST', headers: { Authorization: basic(), 'Content-Type': 'text/plain' }, body: 'hello' },
    );
    expect(up.status).toBe(201);
    const list = await get(
      `/api/now/attachment?sysparm_query=${encodeURIComponent(`table_name=incident^table_sys_id=${inc.sys_id}`)}`,
    );
    expect(((await list.json()) as { result: unknown[] }).result).toEqual([
      expect.objectContaining({ file_name: 'log.txt', size_bytes: '5', content_type: 'text/plain' }),
    ]);
  });
});
