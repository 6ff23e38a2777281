import type { IncomingMessage } from 'node:http';
import { LoginAttempts, loginClient } from '../../../handlers/http/login-attempts';

const from = (remoteAddress: string | undefined) => ({ socket: { remoteAddress } }) as IncomingMessage;

describe('loginClient', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:85a3:12::1', '2001:db8:85a3:12::/64'],
    ['2001:db8:85a3:12:ffff:1:2:3', '2001:db8:85a3:12::/64'],
    ['2001:db8::7', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (address, client) => {
    expect(loginClient(from(address))).toBe(client);
  });
});

describe('LoginAttempts', () => {
  let t = 0;
  const now = () => t;
  beforeEach(() => (t = 0));

  it('refuses from the fifth failure in the window until the oldest ages out', () => {
    const a = new LoginAttempts(now);
    for (let i = 1; i <= 4; i++) {
      expect(a.failed('c')).toBe(i);
      expect(a.retryAfter('c')).toBe(0);
      t += 60_000;
    }
    a.failed('c');
    expect(a.retryAfter('c')).toBe(900 - 240);
    t = 900_000; // the first failure has aged out: one more try
    expect(a.retryAfter('c')).toBe(0);
  });

  it('keeps at most `clients` clients, forgetting aged-out ones first, else the longest remembered', () => {
    const a = new LoginAttempts(now, { failures: 2, windowMs: 1000, clients: 3 });
    a.failed('old');
    t = 2000;
    a.failed('b');
    a.failed('c');
    a.failed('d'); // full: 'old' has aged out and goes
    expect(a.size).toBe(3);
    a.failed('b'); // b is now the most recent
    a.failed('e'); // full, none aged out: c, remembered longest, goes
    expect(a.size).toBe(3);
    expect(a.retryAfter('b')).toBe(1);
    expect(a.failed('c')).toBe(1); // forgotten: it starts again
    expect(a.size).toBe(3);
  });
});
