import type { Conversations } from '../../../../src/ports/store';
import { BACKENDS, freshStore, minute } from './backends';

/** What the Agents SDK hands us for a Teams channel (trimmed). */
const reference = {
  activityId: '1700000000000',
  user: { id: '29:1abc', aadObjectId: '6c1e0b7a-0000-4000-8000-000000000001' },
  bot: { id: '28:bridge', name: 'ITSM Bridge' },
  conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel', tenantId: 't-1', isGroup: true },
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  locale: 'de-DE',
};

const saved = (
  id: string,
  name: string | null,
  ref: unknown,
  at = 0,
): Parameters<Conversations['save']>[0] => ({
  id,
  name,
  reference: ref,
  platform: 'teams',
  at: minute(at),
});

describe.each(BACKENDS)('conversations contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('saves a conversation and reads it back by id', async () => {
    await t.store.conversations.save(saved('19:ops@thread.tacv2', 'Ops', reference));
    expect(await t.store.conversations.get('19:ops@thread.tacv2')).toEqual({
      id: '19:ops@thread.tacv2',
      name: 'Ops',
      reference,
    });
  });

  it('updates the name and the reference when the same conversation is saved again', async () => {
    await t.store.conversations.save(saved('19:ops@thread.tacv2', 'Ops', reference));
    await t.store.conversations.save(
      saved('a:personal-chat', null, { conversation: { id: 'a:personal-chat' } }),
    );
    const moved = { ...reference, serviceUrl: 'https://smba.trafficmanager.net/de/' };
    await t.store.conversations.save(saved('19:ops@thread.tacv2', null, moved, 5));
    expect(await t.store.conversations.get('19:ops@thread.tacv2')).toEqual({
      id: '19:ops@thread.tacv2',
      name: null,
      reference: moved,
    });
    expect(await t.store.conversations.get('a:personal-chat')).toEqual({
      id: 'a:personal-chat',
      name: null,
      reference: { conversation: { id: 'a:personal-chat' } },
    });
  });

  it('answers null for a conversation never saved', async () => {
    await t.store.conversations.save(saved('19:ops@thread.tacv2', 'Ops', reference));
    expect(await t.store.conversations.get('19:other@thread.tacv2')).toBeNull();
  });

  it.each([
    ['a string', 'Grüße ✓ "quoted"'],
    ['a number', 42.5],
    ['null', null],
    ['an array', [1, 'two', { three: [true, null] }]],
    ['an empty object', {}],
  ])('round-trips %s as the reference', async (_what, ref) => {
    await t.store.conversations.save(saved('c1', 'Chat', ref));
    expect(await t.store.conversations.get('c1')).toEqual({ id: 'c1', name: 'Chat', reference: ref });
  });
});
