import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults';
import {
  EmuBodyTooLargeError,
  toEmuRequest,
  writeResponse,
  type EmuRequest,
  type EmuResponse,
} from './http-util';

export type EmulatorHandle = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The mount handler every emulator shares: requests under `prefix` are routed through the fault
 * injector; anything else answers false (not ours).
 */
export function emulatorHandle(
  prefix: string,
  injector: FaultInjector,
  route: (req: EmuRequest) => EmuResponse | Promise<EmuResponse>,
): EmulatorHandle {
  let stored = 0;
  return async (req, res) => {
    const limits = injector.faults.limits;
    let emuReq: EmuRequest | null;
    try {
      emuReq = await toEmuRequest(req, prefix, limits.bodyBytes);
    } catch (err) {
      if (!(err instanceof EmuBodyTooLargeError)) throw err;
      writeResponse(res, {
        status: 413,
        headers: { Connection: 'close' },
        body: { error: 'payload_too_large', message: err.message },
      });
      return true;
    }
    if (!emuReq) return false;
    const write = emuReq.method !== 'GET' && emuReq.method !== 'HEAD';
    if (write && stored + emuReq.body.length > limits.storedBytes) {
      writeResponse(res, {
        status: 507,
        body: {
          error: 'sandbox_full',
          message: `the sandbox keeps at most ${limits.storedBytes} bytes of written data; restart the bridge to empty it`,
        },
      });
      return true;
    }
    const request = emuReq;
    const { response } = await injector.run(
      request.method,
      request.path,
      request.query.toString(),
      async () => route(request),
    );
    if (write && response.status < 300) stored += request.body.length;
    writeResponse(res, response);
    return true;
  };
}

/** Serves an emulator on its own port (tests, benchmarks), with the vendor's 404 and 500 shapes. */
export async function listenEmulator(
  handle: EmulatorHandle,
  port: number,
  prefix: string,
  errors: { notFound: EmuResponse; failed: (err: unknown) => EmuResponse },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled) writeResponse(res, errors.notFound);
      })
      .catch((err: unknown) => writeResponse(res, errors.failed(err)));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
