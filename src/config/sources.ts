import { z } from 'zod';
import { Duration } from '../core/time/duration';
import { SecretString } from './secret';

const Toggle = z.strictObject({ enabled: z.boolean().default(true) });

/** Per-source settings. Bearer tokens come only from the environment (WEBHOOK_TOKEN_<SOURCE>, WEBHOOK_TOKEN). */
export const SourcesConfig = z
  .strictObject({
    alertmanager: Toggle.prefault({}),
    grafana: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Grafana's optional HMAC signing (contact point `hmacConfig`); when set, unsigned requests are refused. */
        hmac: z
          .strictObject({
            secret: SecretString,
            header: z.string().default('X-Grafana-Alerting-Signature'),
            /** Only when Grafana is configured with a timestamp header; it then signs "<ts>:<body>". */
            timestampHeader: z.string().optional(),
            tolerance: Duration.default(300),
          })
          .optional(),
      })
      .prefault({}),
    icinga: z.strictObject({ enabled: z.boolean().default(true), webUrl: z.url().optional() }).prefault({}),
    checkmk: Toggle.prefault({}),
    generic: Toggle.prefault({}),
    /**
     * Label bytes (names + values, UTF-8) after the sender's shared labels are merged in: Alertmanager's
     * `commonLabels` are copied into every alert, so a small request can multiply (issue 12). Above a
     * limit the whole delivery is refused with 400 naming the limit.
     */
    labelLimits: z
      .strictObject({
        perAlert: z
          .number()
          .int()
          .positive()
          .default(16 * 1024),
        perDelivery: z
          .number()
          .int()
          .positive()
          .default(4 * 1024 * 1024),
      })
      .prefault({}),
  })
  .prefault({});
export type SourcesConfig = z.infer<typeof SourcesConfig>;
