import { cellRate } from '../../../src/core/limits/cell-rate';

describe('cellRate (a token bucket as one number)', () => {
  const rate = { perSecond: 1, burst: 3 };

  it('grants a burst, then one request per interval', () => {
    let tat: number | null = null;
    for (let i = 0; i < 3; i++) {
      const r = cellRate(tat, 10_000, rate);
      expect(r.granted).toBe(true);
      if (r.granted) tat = r.tatMs;
    }
    expect(cellRate(tat, 10_000, rate)).toEqual({ granted: false, waitMs: 1000 });
    expect(cellRate(tat, 10_400, rate)).toEqual({ granted: false, waitMs: 600 });
    expect(cellRate(tat, 11_000, rate).granted).toBe(true);
  });

  it('refills to the burst at most, however long the bucket was idle', () => {
    let tat: number | null = 0;
    let granted = 0;
    for (let i = 0; i < 10; i++) {
      const r = cellRate(tat, 1_000_000, rate);
      if (!r.granted) break;
      tat = r.tatMs;
      granted++;
    }
    expect(granted).toBe(3);
  });

  it('with a burst of 1 spaces every request by the interval', () => {
    const r = cellRate(null, 0, { perSecond: 4, burst: 1 });
    expect(r).toEqual({ granted: true, tatMs: 250 });
    expect(cellRate(250, 0, { perSecond: 4, burst: 1 })).toEqual({ granted: false, waitMs: 250 });
  });
});
