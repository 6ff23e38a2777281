import { z } from 'zod';
import { customPatternProblem } from '../core/redact/redact';

/** Which built-in patterns run; all on by default because a leak is worse than an over-redacted ticket. */
const BuiltIns = z.strictObject({
  email: z.boolean().default(true),
  phone: z.boolean().default(true),
  iban: z.boolean().default(true),
  vin: z.boolean().default(true),
  plate: z.boolean().default(true),
});

/**
 * An operator-defined pattern, e.g. customer numbers. `name` becomes the token (`[redacted:customer-no]`),
 * so it is restricted to what the token format allows. The `g` flag is always added by us.
 */
export const RedactionPattern = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and "-", e.g. customer-no'),
    // Bounded so that check-config stays cheap and a pattern stays reviewable (issue 12).
    pattern: z.string().min(1).max(512),
    flags: z
      .string()
      .regex(/^[dimsuv]*$/, 'only the flags d, i, m, s, u, v (g is added automatically)')
      .optional(),
  })
  .superRefine((entry, ctx) => {
    const problem = customPatternProblem(entry.pattern, entry.flags);
    if (problem)
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `pattern "${entry.name}": ${problem}` });
  });
export type RedactionPattern = z.infer<typeof RedactionPattern>;

/**
 * `redaction:` in itsm-bridge.yaml. Applied to everything sent to ServiceNow, Jira and chat.
 * `RedactionConfig.parse({})` gives the safe defaults: enabled, all built-ins on, no custom patterns.
 */
export const RedactionConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    builtIns: BuiltIns.prefault({}),
    patterns: z.array(RedactionPattern).default([]),
  })
  .superRefine((config, ctx) => {
    // Two patterns with one name would produce indistinguishable tokens; a built-in name would hide which
    // rule fired.
    const seen = new Set<string>(Object.keys(BuiltIns.shape));
    config.patterns.forEach((pattern, index) => {
      if (seen.has(pattern.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['patterns', index, 'name'],
          message: `pattern name "${pattern.name}" is already used (built-in names: ${Object.keys(BuiltIns.shape).join(', ')})`,
        });
      }
      seen.add(pattern.name);
    });
  });
export type RedactionConfig = z.infer<typeof RedactionConfig>;
