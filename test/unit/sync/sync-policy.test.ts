import { SyncConfig } from '../../../src/config/sync';
import {
  byteSize,
  contentHash,
  copiedText,
  jiraStatusMatches,
  notOwnedReason,
  ownerOf,
  plainMentions,
  safeFileName,
  statusesNamedBesides,
  toJiraStatus,
  toServiceNowState,
} from '../../../src/core/sync/sync-policy';

describe('sync policy', () => {
  const cfg = SyncConfig.parse({});

  it("has the issue's ownership defaults, overridable per item", () => {
    expect(ownerOf(cfg, 'priority')).toBe('servicenow');
    expect(ownerOf(cfg, 'state')).toBe('servicenow');
    expect(ownerOf(cfg, 'status')).toBe('jira');
    expect(ownerOf(cfg, 'assignee')).toBe('jira');
    expect(ownerOf(cfg, 'assignmentGroup')).toBe('servicenow');
    expect(ownerOf(SyncConfig.parse({ ownership: { priority: 'jira' } }), 'priority')).toBe('jira');
  });

  it('refuses a bad table row or owner, naming the field', () => {
    const bad = SyncConfig.safeParse({ toJira: [{ state: 'hold' }], ownership: { priority: 'both' } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['toJira.0.state', 'toJira.0', 'ownership.priority']));
  });

  it('maps On Hold to Waiting, a specific hold reason first, and Jira done to Resolved', () => {
    const rows = SyncConfig.parse({
      toJira: [
        { state: '3', holdReason: '1', status: 'Waiting for customer' },
        { state: '3', status: 'Waiting' },
      ],
    }).toJira;
    expect(toJiraStatus(rows, '3', '1')?.status).toBe('Waiting for customer');
    expect(toJiraStatus(rows, '3', '4')?.status).toBe('Waiting');
    expect(toJiraStatus(cfg.toJira, '6', null)?.category).toBe('done');
    expect(toJiraStatus(cfg.toJira, '9', null)).toBeNull();
    expect(toServiceNowState(cfg.toServiceNow, 'Done', 'done')?.state).toBe('6');
    expect(toServiceNowState(cfg.toServiceNow, 'In Progress', 'indeterminate')).toBeNull();
  });

  it('does not take a status another row names for a category row (off hold leaves Waiting)', () => {
    const inProgress = toJiraStatus(cfg.toJira, '2', null)!;
    const besides = statusesNamedBesides(cfg.toJira, inProgress);
    expect(besides).toEqual(['Waiting']);
    expect(jiraStatusMatches(inProgress, 'Waiting', 'indeterminate', besides)).toBe(false);
    expect(jiraStatusMatches(inProgress, 'In Progress', 'indeterminate', besides)).toBe(true);
    const waiting = toJiraStatus(cfg.toJira, '3', null)!;
    expect(statusesNamedBesides(cfg.toJira, waiting)).toEqual([]);
    expect(jiraStatusMatches(waiting, 'waiting', 'indeterminate')).toBe(true);
  });

  it('turns mentions into plain names so a copy notifies nobody', () => {
    const names = new Map([['5b10ac8d', 'Anna Schmidt']]);
    expect(plainMentions('ping [~accountid:5b10ac8d] and [~jonas]', names)).toBe(
      'ping Anna Schmidt and a Jira user',
    );
    expect(plainMentions('@Maria Keller please, cc @[6816f79cc0a8016401c5a33be04be441:Fred Luddy]')).toBe(
      'Maria Keller please, cc Fred Luddy',
    );
    expect(plainMentions('mail me at a@b.example')).toBe('mail me at a@b.example');
  });

  it('hashes text the same whichever way the remote wrapped its lines', () => {
    expect(contentHash('a\nb  c ')).toBe(contentHash(' a b\n\nc'));
    expect(contentHash('a b')).not.toBe(contentHash('a c'));
  });

  it('says who wrote a copy and where, and why a change was not synced', () => {
    expect(copiedText({ from: 'jira', author: 'Anna', where: 'OPS-1', kind: 'comment', body: 'x' })).toBe(
      '[Jira comment by Anna on OPS-1]\nx',
    );
    expect(
      notOwnedReason({
        system: 'jira',
        field: 'priority',
        from: 'High',
        to: 'Low',
        name: 'Anna',
        owner: 'servicenow',
        reverted: false,
      }),
    ).toBe('Jira priority changed to Low by Anna; ServiceNow owns priority, not synced');
  });

  it('passes file names on without a path, control or format characters, at most 255 long', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\anna\\report.pdf')).toBe('report.pdf');
    expect(safeFileName('log\u0000\u0007\r\n.txt')).toBe('log.txt');
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('...hidden')).toBe('hidden');
    expect(safeFileName('/')).toBe('attachment');
    expect(safeFileName(`${'a'.repeat(300)}.pdf`)).toHaveLength(255);
    expect(safeFileName('Störung – Übersicht.pdf')).toBe('Störung – Übersicht.pdf');
  });

  it('writes sizes as people read them', () => {
    expect(byteSize(80)).toBe('80 bytes');
    expect(byteSize(512 * 1024)).toBe('512 KB');
    expect(byteSize(14 * 1024 * 1024)).toBe('14 MB');
    expect(byteSize(10 * 1024 * 1024)).toBe('10 MB');
  });
});
