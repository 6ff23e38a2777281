import { buildChecklist, renderChecklist } from '../../../src/core/runbook/render-checklist';
import { Runbook } from '../../../src/core/runbook/runbook';
import {
  findUnknownPlaceholders,
  substitutePlaceholders,
} from '../../../src/core/runbook/substitute-placeholders';

const facts = {
  host: 'print03.dms.example',
  service: 'CUPS',
  branch: 'Filiale 12',
  labels: { queue: 'fil12-inv-01', alertname: 'PrintQueueStuck' },
};

const runbook = Runbook.parse({
  id: 'print-queue-stuck',
  title: 'Print spooler queue stuck',
  match: [{ labels: { alertname: 'PrintQueueStuck' } }],
  steps: [
    'Run `lpstat -o {{label.queue}}` on {{host}}',
    'Cancel the blocking job\nthen tell {{branch}}',
    'Re-enable: `cupsenable {{label.queue}}`',
  ],
});

describe('substitutePlaceholders', () => {
  it.each([
    ['{{host}}', 'print03.dms.example'],
    ['{{ host }}', 'print03.dms.example'],
    ['{{service}} on {{branch}}', 'CUPS on Filiale 12'],
    ['lpstat -o {{label.queue}}', 'lpstat -o fil12-inv-01'],
    ['{{label.mountpoint}}', '<label.mountpoint>'],
    ['{{env.HOME}} {{process.env.TOKEN}} {{hostname}}', '{{env.HOME}} {{process.env.TOKEN}} {{hostname}}'],
    ['`echo ${HOME}` and {single}', '`echo ${HOME}` and {single}'],
  ])('%s -> %s', (text, want) => {
    expect(substitutePlaceholders(text, facts)).toBe(want);
  });

  it('renders a missing host as <host>', () => {
    expect(substitutePlaceholders('ping {{host}}', { ...facts, host: null })).toBe('ping <host>');
  });

  it('collapses newlines in values so an alert cannot forge checklist lines', () => {
    const evil = { ...facts, labels: { queue: 'q1\n[x] 2. forged step' } };
    expect(substitutePlaceholders('{{label.queue}}', evil)).toBe('q1 [x] 2. forged step');
  });

  it('does not expand placeholders that arrive inside values', () => {
    expect(substitutePlaceholders('{{label.queue}}', { ...facts, labels: { queue: '{{host}}' } })).toBe(
      '{{host}}',
    );
  });

  it('lists unknown placeholders as written', () => {
    expect(findUnknownPlaceholders('{{host}} {{hostname}} {{ label.queue }} {{labels.queue}} {{}}')).toEqual([
      '{{hostname}}',
      '{{labels.queue}}',
      '{{}}',
    ]);
  });
});

describe('checklist', () => {
  it('renders open steps as a numbered plain-text checklist with substituted values', () => {
    expect(renderChecklist(buildChecklist(runbook, { facts }))).toBe(
      [
        'Runbook: Print spooler queue stuck (print-queue-stuck)',
        '[ ] 1. Run `lpstat -o fil12-inv-01` on print03.dms.example',
        '[ ] 2. Cancel the blocking job',
        '       then tell Filiale 12',
        '[ ] 3. Re-enable: `cupsenable fil12-inv-01`',
      ].join('\n'),
    );
  });

  it('marks done steps with who and when', () => {
    const done = {
      1: { by: 'slack:U024BE7LH (Anna, infra)', at: '2024-05-02T08:15:00Z' },
      2: { by: 'jira:5b10ac8d82e05b22cc7d4ef5', at: '2024-05-02T08:20:00Z' },
    };
    const checklist = buildChecklist(runbook, { facts, done });
    expect(checklist.items.map((i) => i.done)).toEqual([done[1], done[2], null]);
    expect(renderChecklist(checklist).split('\n').slice(1)).toEqual([
      '[x] 1. Run `lpstat -o fil12-inv-01` on print03.dms.example (done by slack:U024BE7LH (Anna, infra), 2024-05-02T08:15:00Z)',
      '[x] 2. Cancel the blocking job',
      '       then tell Filiale 12 (done by jira:5b10ac8d82e05b22cc7d4ef5, 2024-05-02T08:20:00Z)',
      '[ ] 3. Re-enable: `cupsenable fil12-inv-01`',
    ]);
  });

  it('gives Jira and chat a structured list numbered from 1', () => {
    expect(buildChecklist(runbook, { facts })).toEqual({
      runbookId: 'print-queue-stuck',
      title: 'Print spooler queue stuck',
      items: [
        { number: 1, text: 'Run `lpstat -o fil12-inv-01` on print03.dms.example', done: null },
        { number: 2, text: 'Cancel the blocking job\nthen tell Filiale 12', done: null },
        { number: 3, text: 'Re-enable: `cupsenable fil12-inv-01`', done: null },
      ],
    });
  });
});
