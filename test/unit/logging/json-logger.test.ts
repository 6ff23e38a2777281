import { Secret } from '../../../src/config/secret';
import { jsonLogger } from '../../../integrations/logging/json-logger';
import { requestFields, withRequestId } from '../../../src/app/request-context';
import { ManualClock } from '../../helpers/test-app';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = jsonLogger({
    clock: new ManualClock(Date.parse('2026-12-01T10:00:00Z')),
    level,
    write: (l) => lines.push(l),
    context: requestFields,
  });
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('jsonLogger (pino behind the Logger port)', () => {
  it('writes one JSON object per line with the clock’s time, the level as a word, msg and fields', () => {
    const { logger, records } = capture();
    logger.info('itsm-bridge listening', { url: 'http://127.0.0.1:3000' });
    expect(records()).toEqual([
      {
        level: 'info',
        time: '2026-12-01T10:00:00.000Z',
        msg: 'itsm-bridge listening',
        url: 'http://127.0.0.1:3000',
      },
    ]);
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('at LOG_LEVEL=%s writes only %j', (level, expected) => {
    const { logger, records } = capture(level);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(records().map((r) => r.level)).toEqual(expected);
  });

  it('never prints a Secret, an Authorization header or a field named like a credential', () => {
    const { logger, records } = capture();
    logger.warn('remote refused', {
      config: { auth: { password: new Secret('hunter2-config') } },
      headers: { authorization: 'Bearer tok-123456', 'x-slack-signature': 'v0=abcdef' },
      request: { authorization: 'Basic dXNlcjpwYXNz' },
      token: 'xoxb-123',
      apiToken: 'jira-456',
    });
    const line = JSON.stringify(records());
    for (const secret of [
      'hunter2-config',
      'tok-123456',
      'v0=abcdef',
      'dXNlcjpwYXNz',
      'xoxb-123',
      'jira-456',
    ])
      expect(line).not.toContain(secret);
    expect(records()[0]).toMatchObject({ headers: { authorization: '<redacted>' }, token: '<redacted>' });
  });

  it('adds the request id to every line logged while the request’s work runs, and only then', async () => {
    const { logger, records } = capture();
    await withRequestId('req-42', async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info('inside');
    });
    logger.info('outside');
    expect(records().map((r) => [r.msg, r.requestId])).toEqual([
      ['inside', 'req-42'],
      ['outside', undefined],
    ]);
  });
});
