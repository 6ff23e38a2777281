import { matchRunbook, type RunbookFacts } from '../../../src/core/runbook/match-runbook';
import { Runbook } from '../../../src/core/runbook/runbook';

const rb = (id: string, match: unknown[]): Runbook =>
  Runbook.parse({ id, title: id, match, steps: ['step'] });

const facts = (over: Partial<RunbookFacts> = {}): RunbookFacts => ({
  source: 'alertmanager',
  labels: { alertname: 'PrintQueueStuck', queue: 'fil12-inv-01', job: 'cups' },
  host: 'print03.dms.example',
  service: 'Print Spooler',
  ...over,
});

describe('matchRunbook precedence', () => {
  const table: {
    name: string;
    runbooks: Runbook[];
    facts?: Partial<RunbookFacts>;
    runbookId?: string;
    want: string | null;
  }[] = [
    {
      name: 'an explicit routing id wins over a more specific match',
      runbooks: [
        rb('exact', [{ labels: { alertname: 'PrintQueueStuck', queue: 'fil12-inv-01' } }]),
        rb('routed', [{ source: 'icinga' }]),
      ],
      runbookId: 'routed',
      want: 'routed',
    },
    {
      name: 'an unknown routing id falls back to matching',
      runbooks: [rb('print', [{ labels: { alertname: 'PrintQueueStuck' } }])],
      runbookId: 'does-not-exist',
      want: 'print',
    },
    {
      name: 'two exact labels beat one exact label',
      runbooks: [
        rb('one', [{ labels: { alertname: 'PrintQueueStuck' } }]),
        rb('two', [{ labels: { alertname: 'PrintQueueStuck', job: 'cups' } }]),
      ],
      want: 'two',
    },
    {
      name: 'one exact label beats several globs',
      runbooks: [
        rb('globs', [
          { labels: { alertname: 'Print*', queue: 'fil12-*' }, service: 'Print*', host: 'print*' },
        ]),
        rb('exact', [{ labels: { alertname: 'PrintQueueStuck' } }]),
      ],
      want: 'exact',
    },
    {
      name: 'an exact label beats an exact source or host',
      runbooks: [
        rb('by-source', [{ source: 'alertmanager' }]),
        rb('by-label', [{ labels: { job: 'cups' } }]),
      ],
      want: 'by-label',
    },
    {
      name: 'an exact service beats a service glob',
      runbooks: [rb('glob', [{ service: 'Print*' }]), rb('exact', [{ service: 'print spooler' }])],
      want: 'exact',
    },
    {
      name: 'with equal counts the longer glob literal wins',
      runbooks: [rb('short', [{ service: 'P*' }]), rb('long', [{ service: 'Print Spool*' }])],
      want: 'long',
    },
    {
      name: 'ties go to the earlier runbook (file order)',
      runbooks: [
        rb('first', [{ labels: { alertname: 'PrintQueueStuck' } }]),
        rb('second', [{ labels: { alertname: 'PrintQueueStuck' } }]),
      ],
      want: 'first',
    },
    {
      name: 'all fields of an entry must match (AND)',
      runbooks: [
        rb('and', [{ labels: { alertname: 'PrintQueueStuck' }, source: 'icinga' }]),
        rb('fallback', [{ service: 'Print*' }]),
      ],
      want: 'fallback',
    },
    {
      name: 'any entry of a runbook may match (OR), the best entry counts',
      runbooks: [
        rb('a', [{ source: 'icinga' }, { labels: { alertname: 'PrintQueueStuck', queue: 'fil12-*' } }]),
        rb('b', [{ labels: { alertname: 'PrintQueueStuck' } }]),
      ],
      want: 'a',
    },
    {
      name: 'a host pattern never matches an alert without a host',
      runbooks: [rb('host', [{ host: '*' }])],
      facts: { host: null },
      want: null,
    },
    {
      name: 'a missing label does not match even a "*" glob',
      runbooks: [rb('present', [{ labels: { branch: '*' } }])],
      want: null,
    },
    {
      name: 'label values are case-sensitive',
      runbooks: [rb('case', [{ labels: { alertname: 'printqueuestuck' } }])],
      want: null,
    },
    {
      name: 'host and service globs ignore case',
      runbooks: [rb('host', [{ host: 'PRINT0*.DMS.EXAMPLE' }])],
      want: 'host',
    },
    {
      name: 'nothing matches',
      runbooks: [rb('disk', [{ labels: { alertname: 'NodeFilesystemAlmostOutOfSpace' } }])],
      want: null,
    },
  ];

  it.each(table)('$name', ({ runbooks, facts: over, runbookId, want }) => {
    const choice = matchRunbook(facts(over), runbooks, { runbookId });
    expect(choice?.runbook.id ?? null).toBe(want);
  });

  it('reports how the runbook was chosen and which entry matched', () => {
    const runbooks = [rb('print', [{ source: 'icinga' }, { labels: { alertname: 'PrintQueueStuck' } }])];
    expect(matchRunbook(facts(), runbooks)).toMatchObject({
      via: 'match',
      entry: 1,
      specificity: { exactLabels: 1 },
    });
    expect(matchRunbook(facts(), runbooks, { runbookId: 'print' })).toMatchObject({
      via: 'routing',
      entry: null,
    });
  });
});
