import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
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
    /**
     * The sandbox's emulator and documented push secret, when ServiceNow runs as a sandbox; the
     * documented secret is accepted only while every ticket system is a sandbox (`published`).
     */
    sandbox?: { emulator: ServiceNowEmulator; pushSecret: string; published: boolean } | null;
    /** Only the leader polls (see LeaderGate). */
    leading?: () => Promise<boolean>;
    /** Read new attachments too (the two-way sync copies them). */
    attachments?: boolean;
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
    ...(o.leading ? { leading: o.leading } : {}),
    attachments: o.attachments === true,
  });
  // Next to a real Jira a documented secret would let anyone push changes that reach it: the emulator,
  // in this process, then signs with a random one.
  const sandboxSecret = o.sandbox
    ? new Secret(o.sandbox.published ? o.sandbox.pushSecret : randomBytes(32).toString('hex'))
    : undefined;
  const secret = sync.pushSecret ?? sandboxSecret;
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

/**
 * For the start-up exposure check: the documented push secret is accepted on /webhooks/servicenow when
 * the reader runs, no `pushSecret` is configured and every ticket system is a sandbox.
 */
export function publishedPushSecret(config: AppConfig, readerOn: boolean, allSandbox: boolean): string[] {
  const used = readerOn && config.tickets.systems.includes('servicenow') && !config.servicenow.instanceUrl;
  return used && allSandbox && !config.servicenow.sync.pushSecret
    ? ['the published ServiceNow push secret (/webhooks/servicenow)']
    : [];
}
