import { matchPeople, personKey } from '../../../src/app/match-people';
import { SyncConfig } from '../../../src/config/sync';
import type { RemoteChange } from '../../../src/core/sync/remote-change';
import type {
  JiraPeople,
  JiraPerson,
  ServiceNowPeople,
  ServiceNowPerson,
} from '../../../src/ports/people-directory';

const ANNA_SN: ServiceNowPerson = {
  sysId: 'a'.repeat(32),
  userName: 'anna.schmidt',
  name: 'Anna Schmidt',
  email: 'anna@example.com',
};
const DESK_SN: ServiceNowPerson = {
  sysId: 'd'.repeat(32),
  userName: 'service.desk',
  name: 'Service Desk',
  email: 'desk@example.com',
};
const ANNA_J: JiraPerson = { accountId: 'acc-anna', displayName: 'Anna S.', email: 'ANNA@example.com' };
const HIDDEN_J: JiraPerson = { accountId: 'acc-hidden', displayName: 'Hidden Person', email: null };

/** The adapters' look-ups over two fixed directories, counting the calls. */
function directories() {
  const calls: string[] = [];
  const servicenow: ServiceNowPeople = {
    userByEmail: async (e) => {
      calls.push(`sn:email:${e}`);
      return [ANNA_SN, DESK_SN].find((u) => u.email === e.toLowerCase()) ?? null;
    },
    userByUserName: async (u) => {
      calls.push(`sn:user:${u}`);
      return [ANNA_SN, DESK_SN].find((p) => p.userName === u) ?? null;
    },
    userByName: async (n) => {
      calls.push(`sn:name:${n}`);
      return [ANNA_SN, DESK_SN].find((p) => p.name === n) ?? null;
    },
  };
  const jira: JiraPeople = {
    account: async (id) => {
      calls.push(`jira:account:${id}`);
      return [ANNA_J, HIDDEN_J].find((a) => a.accountId === id) ?? null;
    },
    accountByEmail: async (e) => {
      calls.push(`jira:email:${e}`);
      return [ANNA_J].find((a) => a.email?.toLowerCase() === e.toLowerCase()) ?? null;
    },
  };
  return { servicenow, jira, calls };
}

const change = (system: 'jira' | 'servicenow', from: string | null, to: string | null): RemoteChange => ({
  system,
  changeId: 'c1',
  record: system === 'jira' ? 'OPS-1' : 'b'.repeat(32),
  updatedAt: '2026-11-02T09:00:00.000Z',
  actor: { id: 'x', name: 'X', integration: false },
  fields: [{ field: system === 'jira' ? 'assignee' : 'assignedTo', from, to }],
  comments: [],
  attachments: [],
});

describe('matchPeople', () => {
  const cases: {
    name: string;
    sync?: object;
    change: RemoteChange;
    value: string;
    expected: { name: string; other: { id: string; name: string } | null };
  }[] = [
    {
      name: 'matches a Jira account to the ServiceNow user with its e-mail (case-insensitive)',
      change: change('jira', null, 'acc-anna'),
      value: 'acc-anna',
      expected: { name: 'Anna S.', other: { id: ANNA_SN.sysId, name: 'Anna Schmidt' } },
    },
    {
      name: 'finds nobody for an account whose e-mail is hidden',
      change: change('jira', null, 'acc-hidden'),
      value: 'acc-hidden',
      expected: { name: 'Hidden Person', other: null },
    },
    {
      name: 'lets a sync.people row (by accountId) win over the e-mail',
      sync: { people: [{ jira: 'acc-anna', servicenow: 'service.desk' }] },
      change: change('jira', null, 'acc-anna'),
      value: 'acc-anna',
      expected: { name: 'Anna S.', other: { id: DESK_SN.sysId, name: 'Service Desk' } },
    },
    {
      name: 'maps a hidden e-mail through a sync.people row',
      sync: { people: [{ jira: 'acc-hidden', servicenow: 'anna.schmidt' }] },
      change: change('jira', null, 'acc-hidden'),
      value: 'acc-hidden',
      expected: { name: 'Hidden Person', other: { id: ANNA_SN.sysId, name: 'Anna Schmidt' } },
    },
    {
      name: 'names the previous assignee without looking for their ServiceNow user',
      change: change('jira', 'acc-hidden', 'acc-anna'),
      value: 'acc-hidden',
      expected: { name: 'Hidden Person', other: null },
    },
    {
      name: 'keeps an unknown account id as its name',
      change: change('jira', null, 'acc-gone'),
      value: 'acc-gone',
      expected: { name: 'acc-gone', other: null },
    },
    {
      name: 'matches a ServiceNow user to the Jira account with its e-mail where ServiceNow owns the assignee',
      sync: { ownership: { assignee: 'servicenow' } },
      change: change('servicenow', null, 'Anna Schmidt'),
      value: 'Anna Schmidt',
      expected: { name: 'Anna Schmidt', other: { id: 'acc-anna', name: 'Anna S.' } },
    },
  ];

  it.each(cases)('$name', async ({ sync, change: c, value, expected }) => {
    const d = directories();
    const matches = await matchPeople({ ...d, sync: SyncConfig.parse(sync ?? {}) }, [c]);
    expect(matches.get(personKey(c.system, value))).toEqual(expected);
  });

  it('looks nobody up on the other side where the change is not copied (the other system owns it)', async () => {
    const d = directories();
    const matches = await matchPeople({ ...d, sync: SyncConfig.parse({}) }, [
      change('servicenow', 'Service Desk', 'Anna Schmidt'),
    ]);
    expect(matches.get(personKey('servicenow', 'Anna Schmidt'))).toEqual({
      name: 'Anna Schmidt',
      other: null,
    });
    expect(d.calls).toEqual([]);
  });

  it('passes a failed look-up on, so the delivery is retried rather than copied to nobody', async () => {
    const d = directories();
    d.servicenow.userByEmail = () => Promise.reject(new Error('ServiceNow down'));
    await expect(
      matchPeople({ ...d, sync: SyncConfig.parse({}) }, [change('jira', null, 'acc-anna')]),
    ).rejects.toThrow('ServiceNow down');
  });
});
