import { globMatch } from '../../../src/core/routing/glob';
import { globProblem } from '../../../src/core/runbook/match-glob';

describe('globMatch (runbook patterns)', () => {
  it.each([
    ['Print Spooler*', 'Print Spooler', true],
    ['Print Spooler*', 'Print Spooler (fil12)', true],
    ['*replication*', 'pg replication lag', true],
    ['dms.*', 'dms.branch01.example', true],
    ['dms.*', 'dmsxbranch', false],
    ['MSSQL$SQLEXPRESS', 'MSSQL$SQLEXPRESS', true],
    ['a+b', 'aab', false],
    ['exact', 'exact-not', false],
  ])('%s vs %s -> %s', (pattern, value, want) => {
    expect(globMatch(pattern, value)).toBe(want);
  });
});

describe('globProblem', () => {
  it.each(['', '  ', 'srv-??', 'host[0-9]', 'dms{01,02}', '/var/**'])('rejects %j', (pattern) => {
    expect(globProblem(pattern)).not.toBeNull();
  });
  it.each(['*', 'Print*', 'MSSQL$SQLEXPRESS', '*cert*'])('accepts %j', (pattern) => {
    expect(globProblem(pattern)).toBeNull();
  });
});
