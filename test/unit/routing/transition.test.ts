import type { Alert } from '../../../src/core/alert/alert';
import { routeAlert, Routing } from '../../../src/core/routing/route-alert';
import { transitionRoles } from '../../../src/core/routing/transition';

const CUTOVER = '2027-01-01T00:00:00+01:00';
const before = Date.parse('2026-12-31T22:59:59Z');
const at = Date.parse('2026-12-31T23:00:00Z');

describe('transition roles (shadow and cut-over) on a fixed clock', () => {
  it.each([
    { name: 'no transition', settings: [], t: before, roles: { owner: 'old', shadow: null } },
    {
      name: 'shadow without cut-over',
      settings: [{ shadow: 'new' }],
      t: at,
      roles: { owner: 'old', shadow: 'new' },
    },
    {
      name: 'one second before the cut-over',
      settings: [{ shadow: 'new', cutover: CUTOVER }],
      t: before,
      roles: { owner: 'old', shadow: 'new' },
    },
    {
      name: 'at the cut-over the roles swap',
      settings: [{ shadow: 'new', cutover: CUTOVER }],
      t: at,
      roles: { owner: 'new', shadow: 'old' },
    },
    {
      name: "the rule's settings win over the provider's",
      settings: [{ shadow: 'x' }, { shadow: 'new', cutover: CUTOVER }],
      t: at,
      roles: { owner: 'old', shadow: 'x' },
    },
    {
      name: "the provider's apply when the rule has none",
      settings: [undefined, { shadow: 'new', cutover: CUTOVER }],
      t: at,
      roles: { owner: 'new', shadow: 'old' },
    },
    {
      name: 'a shadow equal to the owner is none',
      settings: [{ shadow: 'old', cutover: CUTOVER }],
      t: at,
      roles: { owner: 'old', shadow: null },
    },
  ])('$name', ({ settings, t, roles }) => {
    expect(transitionRoles('old', settings, t)).toEqual(roles);
  });

  const alert = {
    source: 'generic',
    dedupKey: 'k',
    labels: { branch: 'muc-01' },
    severity: 'critical',
    host: null,
    service: null,
    branch: 'muc-01',
  } as unknown as Alert;
  const routing = Routing.parse({
    defaults: { provider: 'old', groupBy: ['branch'] },
    rules: [{ name: 'branch', match: [{ labels: { branch: '*' } }], shadow: 'new', cutover: CUTOVER }],
  });

  it('routes to the owner at the instant and keeps the group key across the cut-over', () => {
    const pre = routeAlert(alert, routing, { at: before });
    const post = routeAlert(alert, routing, { at });
    expect([pre.provider, pre.shadow]).toEqual(['old', 'new']);
    expect([post.provider, post.shadow]).toEqual(['new', 'old']);
    expect(post.groupKey).toBe(pre.groupKey);
  });

  it('takes the provider-level transition when the rule sets none', () => {
    const plain = Routing.parse({ defaults: { provider: 'old', groupBy: ['branch'] } });
    expect(routeAlert(alert, plain, { at, providers: { old: { shadow: 'new' } } })).toMatchObject({
      provider: 'old',
      shadow: 'new',
    });
    expect(routeAlert(alert, plain)).toMatchObject({ provider: 'old', shadow: null });
  });
});
