import type { ServiceNowConfig } from '../config/servicenow';
import { Secret } from '../config/secret';
import type { RemoteChangeSink } from '../core/sync/remote-change';
import type { Logger } from '../ports/logger';
import type { Store } from '../ports/store';
import type { ServiceNowPushDeps } from '../../handlers/webhooks/servicenow-push';
import type { RemoteLaneDriver } from '../../integrations/lanes/remote-lane-driver';
import type { ServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { ServiceNowPoller } from '../../integrations/servicenow/servicenow-poller';
import { createConfiguredServiceNowClient } from '../../integrations/servicenow/servicenow-ticket-system';

/** The ServiceNow reader of a running server. */
export interface ServiceNowSyncWiring {
  poller: ServiceNowPoller;
  /** For `POST /webhooks/servicenow`; null without a push secret (the route then answers 404). */
  push: Omit<ServiceNowPushDeps, 'bodyLimit'> | null;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The one place the ServiceNow side of the two-way sync is composed: the poller on the ServiceNow
 * adapter's instance, login and lane driver (its concurrency and Retry-After gate), the push endpoint's
 * secret, and in sandbox mode the emulator's push to this server. Everything read goes to `sink` — the
 * sync core's `applyRemoteChanges` in production.
 */
export function wireServiceNowSync(
  o: {
    servicenow: { baseUrl: string; config: ServiceNowConfig; driver: RemoteLaneDriver };
    store: Pick<Store, 'servicenowSync'>;
    logger: Logger;
    /** This server's URL, where a sandbox emulator pushes to. */
    url: string;
    /** The sandbox's emulator and documented push secret, when ServiceNow runs as a sandbox. */
    sandbox?: { emulator: ServiceNowEmulator; pushSecret: string } | null;
  },
  sink: RemoteChangeSink,
): ServiceNowSyncWiring {
  const { config, baseUrl, driver } = o.servicenow;
  const sync = config.sync;
  const poller = new ServiceNowPoller({
    api: createConfiguredServiceNowClient({ config, baseUrl, transport: driver }),
    transport: driver,
    state: o.store.servicenowSync,
    instance: baseUrl.replace(/\/$/, ''),
    sink,
    logger: o.logger,
    integrationUser: config.auth.username,
    intervalSeconds: sync.pollInterval,
    overlapSeconds: sync.overlap,
    requestsPerHour: sync.requestsPerHour,
    pageSize: sync.pageSize,
    journalPageSize: sync.journalPageSize,
    initialLookbackSeconds: sync.initialLookback,
  });
  const secret = sync.pushSecret ?? (o.sandbox ? new Secret(o.sandbox.pushSecret) : undefined);
  const push = secret ? { secret, logger: o.logger, receive: poller.receivePush.bind(poller) } : null;
  return {
    poller,
    push,
    start() {
      if (sync.poll) poller.start();
      if (o.sandbox && secret)
        o.sandbox.emulator.push = { url: `${o.url}/webhooks/servicenow`, secret: secret.reveal() };
    },
    async stop() {
      if (o.sandbox) o.sandbox.emulator.push = null;
      await poller.stop();
    },
  };
}
