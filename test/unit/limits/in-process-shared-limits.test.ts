import { inProcessSharedLimits } from '../../../integrations/limits/in-process-shared-limits';
import { ManualClock } from '../../helpers/test-app';

describe('in-process shared limits under an injected clock', () => {
  it('refills a rate in real time while a test holds the clock still (as bottleneck did)', async () => {
    const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
    const limits = inProcessSharedLimits(clock);
    const rate = { perSecond: 20, burst: 1 };
    expect(await limits.tryTake('slack:channel:C1', rate)).toBe(0);
    expect(await limits.tryTake('slack:channel:C1', rate)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(await limits.tryTake('slack:channel:C1', rate)).toBe(0);
  });

  it('measures pauses on the injected clock, like the Retry-After gate', async () => {
    const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
    const limits = inProcessSharedLimits(clock);
    await limits.pause('servicenow', 30);
    expect(await limits.pauseLeft('servicenow')).toBe(30_000);
    clock.advance(31);
    expect(await limits.pauseLeft('servicenow')).toBe(0);
  });
});
