import { orderUpdates } from '../../../src/core/sla/ticket-timeline';
import type { TicketHistory } from '../../../src/core/sla/types';
import { t } from './sla-fixtures';

/** A ticket from `[minute, state, version]` rows on 1 March 2016 UTC. */
function ticket(rows: [number, string, number?][]): TicketHistory {
  const at = (m: number) => t('2016-03-01T00:00:00Z') + m * 60_000;
  return {
    id: 'X',
    number: 'X',
    openedAt: at(0),
    events: rows.map(([m, state, version], i) => ({
      at: at(m),
      seq: version ?? 0,
      ...(version !== undefined ? { version } : {}),
      ref: `row ${i}`,
      state,
    })),
  };
}
const uses = (tk: TicketHistory, asOf = Infinity) =>
  orderUpdates(tk, asOf).map((u) => `${u.event.ref}:${u.use}`);

describe('orderUpdates: out-of-order copies by revision', () => {
  it.each<[string, [number, string, number?][], string[]]>([
    [
      'a late copy of an earlier revision',
      [
        [0, 'New', 1],
        [10, 'Resolved', 2],
        [20, 'New', 1],
        [30, 'Closed', 3],
      ],
      ['row 0:used', 'row 1:used', 'row 2:stale', 'row 3:used'],
    ],
    [
      'an early copy of the final revision',
      [
        [0, 'Active', 4],
        [10, 'Active', 1],
        [20, 'Resolved', 2],
        [30, 'Closed', 4],
      ],
      ['row 0:stale', 'row 1:used', 'row 2:used', 'row 3:used'],
    ],
    [
      'updates without a revision are always used',
      [
        [0, 'New'],
        [10, 'Active', 2],
        [20, 'On Hold'],
        [30, 'Resolved', 3],
      ],
      ['row 0:used', 'row 1:used', 'row 2:used', 'row 3:used'],
    ],
  ])('%s', (_, rows, expected) => {
    expect(uses(ticket(rows))).toEqual(expected);
  });

  it('judges staleness on the updates up to asOf only, so a later export cannot change a past month', () => {
    const tk = ticket([
      [0, 'New', 5],
      [10, 'Active', 6],
      [20, 'Active', 1],
      [30, 'Active', 2],
      [40, 'Resolved', 3],
    ]);
    const asOf = t('2016-03-01T00:15:00Z');
    expect(uses(tk, asOf)).toEqual([
      'row 0:used',
      'row 1:used',
      'row 2:after-as-of',
      'row 3:after-as-of',
      'row 4:after-as-of',
    ]);
  });
});
