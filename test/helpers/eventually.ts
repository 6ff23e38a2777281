/**
 * Polls `read` until `ok` holds (at most ~2 s), for what a listener does after its ack (ephemeral
 * answers, dialogs); returns the last value read so that the assertion shows what was there.
 */
export async function eventually<T>(read: () => T, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return read();
}
