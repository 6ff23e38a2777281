import { fromThrown, toIntegrationError } from '../../../integrations/servicenow/client';
import { OAuthError } from '../../../integrations/servicenow/oauth-session';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { IntegrationError, ValidationError } from '../../../src/errors';
import type { Clock } from '../../../src/ports/clock';
import type { LaneFailure } from '../../../src/ports/lane-driver';

const NOW = Date.parse('2026-11-02T08:00:00Z');
const clock: Clock = { now: () => new Date(NOW) };
const driver = createServiceNowLaneDriver({ clock, concurrency: 4 });

/** A failed Table API call as the adapter sees it: status, optional Retry-After, the error envelope. */
const answered = (status: number, retryAfter?: string) =>
  toIntegrationError(
    'create',
    {
      response: new Response(null, { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} }),
      error: { error: { message: 'failed' } },
    },
    NOW,
  );
const thrown = (name: string) => fromThrown('create', Object.assign(new Error('boom'), { name }));

const row = (kind: LaneFailure['kind'], retryAfterSeconds: number | null, throttled: boolean) => ({
  kind,
  retryAfterSeconds,
  throttled,
});

describe('ServiceNow lane driver: what a failure means for the outbox', () => {
  it.each<[string, unknown, ReturnType<typeof row>]>([
    ['429 with Retry-After (a rate-limit rule)', answered(429, '7'), row('retryable', 7, true)],
    ['429 without Retry-After (semaphore queue full)', answered(429), row('retryable', null, false)],
    ['503 with Retry-After (instance busy)', answered(503, '30'), row('retryable', 30, true)],
    [
      '429 with an HTTP-date Retry-After',
      answered(429, 'Mon, 02 Nov 2026 08:00:20 GMT'),
      row('retryable', 20, true),
    ],
    ['408 request timeout (not processed)', answered(408), row('retryable', null, false)],
    ['500 (the insert may have landed)', answered(500), row('outcome_unknown', null, false)],
    ['502 from a proxy', answered(502), row('outcome_unknown', null, false)],
    ['503 without Retry-After', answered(503), row('outcome_unknown', null, false)],
    ['our timeout (no answer)', thrown('TimeoutError'), row('outcome_unknown', null, false)],
    ['a reset connection', thrown('TypeError'), row('outcome_unknown', null, false)],
    ['400 invalid field', answered(400), row('permanent', null, false)],
    ['401 wrong credentials', answered(401), row('permanent', null, false)],
    ['403 data policy / ACL', answered(403), row('permanent', null, false)],
    ['404 unknown record', answered(404), row('permanent', null, false)],
    [
      'OAuth client refused',
      fromThrown('create', new OAuthError('token request rejected')),
      row('permanent', null, false),
    ],
    [
      'assignment group missing in the instance',
      new IntegrationError('servicenow', 'create', null, 'assignment group "X" not found', false),
      row('permanent', null, false),
    ],
    ['a payload we refuse ourselves', new ValidationError('bad', []), row('permanent', null, false)],
    ['a bug (not one of our errors)', new TypeError('x is undefined'), row('retryable', null, false)],
  ])('%s', (_what, err, expected) => {
    expect(driver.classify(err)).toMatchObject({ ...expected, message: (err as Error).message });
  });
});
