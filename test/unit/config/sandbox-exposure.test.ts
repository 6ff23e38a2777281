import { isLoopbackHost, sandboxExposure } from '../../../src/config/sandbox-exposure';

describe('sandboxExposure (issue 12, finding 2)', () => {
  const active = ['ServiceNow sandbox'];
  it.each([
    [
      'nothing active, exposed',
      { host: '0.0.0.0', nodeEnv: 'production', allowInsecure: false, active: [] },
      'ok',
    ],
    ['sandbox on loopback', { host: '127.0.0.1', nodeEnv: undefined, allowInsecure: false, active }, 'ok'],
    ['sandbox on ::1', { host: '::1', nodeEnv: 'test', allowInsecure: false, active }, 'ok'],
    ['sandbox on 0.0.0.0', { host: '0.0.0.0', nodeEnv: undefined, allowInsecure: false, active }, 'refuse'],
    [
      'sandbox on a LAN address',
      { host: '10.0.0.5', nodeEnv: undefined, allowInsecure: false, active },
      'refuse',
    ],
    [
      'sandbox in production',
      { host: '127.0.0.1', nodeEnv: 'production', allowInsecure: false, active },
      'refuse',
    ],
    [
      'exposed with the opt-in',
      { host: '0.0.0.0', nodeEnv: 'production', allowInsecure: true, active },
      'warn',
    ],
  ] as const)('%s → %s', (_name, input, kind) => {
    expect(sandboxExposure({ ...input, active: [...input.active] }).kind).toBe(kind);
  });

  it('names the reason, what is active and the way out', () => {
    const r = sandboxExposure({ host: '0.0.0.0', nodeEnv: 'production', allowInsecure: false, active });
    expect(r.kind === 'refuse' && r.message).toMatch(
      /HOST=0\.0\.0\.0.*NODE_ENV=production.*ServiceNow sandbox.*ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX=1/,
    );
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['bridge.example.com', false],
  ])('isLoopbackHost(%s) = %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
