import type { Logger } from '../../../src/ports/logger';
import { IntegrationError } from '../../../src/errors';
import { encodedQuery, UnsafeQueryValueError } from '../../../integrations/servicenow/encoded-query';
import { draft, startServiceNow } from './harness';

function recordingLogger() {
  const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (msg, fields) => void warnings.push({ msg, ...(fields ? { fields } : {}) }),
  };
  return { logger, warnings };
}

describe('values in ServiceNow encoded queries (issue 12, finding 5)', () => {
  it.each(['x^ORnameISNOTEMPTY', 'a,b', 'line\nbreak', 'cr\rhere', 'x^NQname=y'])(
    'encodedQuery refuses %j',
    (value) => {
      expect(() => encodedQuery`name=${value}`).toThrow(UnsafeQueryValueError);
    },
  );

  it('encodedQuery keeps ordinary values and joins lists for IN', () => {
    expect(encodedQuery`name=${'dms-app-01.example.com'}^active=true`).toBe(
      'name=dms-app-01.example.com^active=true',
    );
    expect(encodedQuery`sys_idIN${['a1', 'b2']}^ORDERBYname`).toBe('sys_idINa1,b2^ORDERBYname');
    expect(() => encodedQuery`sys_idIN${['a1', 'b2,c3']}`).toThrow(UnsafeQueryValueError);
  });

  it('a host that would widen the CI query links no CI, and says so once', async () => {
    const { logger, warnings } = recordingLogger();
    const env = await startServiceNow({ emulator: { cis: ['unrelated-ci', 'dms-app-01'] }, logger });
    try {
      const host = 'x^ORnameISNOTEMPTY';
      await env.adapter.create(draft({ incidentKey: 'a', cmdbCi: host }));
      await env.adapter.create(draft({ incidentKey: 'b', cmdbCi: host }));
      const incidents = env.emulator.state.incidents;
      expect(incidents.map((i) => i.cmdb_ci ?? '')).toEqual(['', '']);
      expect(incidents[0]?.description).toContain('not looked up');
      expect(env.emulator.state.callLog.filter((c) => c.path.includes('cmdb_ci'))).toEqual([]);
      expect(warnings.filter((w) => w.msg.includes('CI not looked up'))).toHaveLength(1);
    } finally {
      await env.server.close();
    }
  });

  it('an ordinary host still links its CI', async () => {
    const env = await startServiceNow({ emulator: { cis: ['unrelated-ci', 'dms-app-01'] } });
    try {
      await env.adapter.create(draft({ cmdbCi: 'dms-app-01' }));
      const ci = env.emulator.state.cis.find((c) => c.name === 'dms-app-01');
      expect(env.emulator.state.incidents[0]?.cmdb_ci).toBe(ci?.sys_id);
    } finally {
      await env.server.close();
    }
  });

  it('a configured assignment group with "^" is a permanent configuration error, not a query', async () => {
    const env = await startServiceNow({
      config: { assignmentGroups: { 'dms-app': 'DMS^ORnameISNOTEMPTY' } },
    });
    try {
      const err = await env.adapter.create(draft()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err).toMatchObject({ retryable: false });
      expect(env.emulator.state.incidents).toEqual([]);
    } finally {
      await env.server.close();
    }
  });
});
