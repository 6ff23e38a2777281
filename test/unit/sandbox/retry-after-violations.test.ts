import { retryAfterViolations, type CallLogEntry } from '../../../integrations/sandbox/faults';

const entry = (seq: number, at: number, over: Partial<CallLogEntry> = {}): CallLogEntry => ({
  seq,
  at,
  finishedAt: at + 10,
  method: 'POST',
  path: '/x',
  query: '',
  status: 200,
  fault: null,
  retryAfterSeconds: null,
  ...over,
});

describe('requests inside a Retry-After (the emulators’ call logs)', () => {
  it('counts a request that arrived before the Retry-After the client was sent had passed', () => {
    const log = [entry(1, 0, { status: 429, retryAfterSeconds: 1 }), entry(2, 500), entry(3, 1500)];
    expect(retryAfterViolations(log).map((e) => e.seq)).toEqual([2]);
  });

  it('does not count a 429 whose answer was held past the client’s timeout: the client never saw it', () => {
    const lost = entry(1, 0, { status: 429, retryAfterSeconds: 1, fault: 'timeout', finishedAt: 10_000 });
    expect(retryAfterViolations([lost, entry(2, 10_500)])).toEqual([]);
  });
});
