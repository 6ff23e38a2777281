import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults';
import { toEmuRequest, writeResponse, type EmuRequest, type EmuResponse } from './http-util';

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
  return async (req, res) => {
    const emuReq = await toEmuRequest(req, prefix);
    if (!emuReq) return false;
    const { response } = await injector.run(emuReq.method, emuReq.path, emuReq.query.toString(), async () =>
      route(emuReq),
    );
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
