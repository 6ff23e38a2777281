import Ajv from 'ajv';
import { z } from 'zod';
import { StringMap, STRING_MAP_MAX_ENTRIES } from './map-common';

/** The refinements (`.refine`) a gate knows how to say in JSON Schema, by the schema that carries them. */
const REFINEMENTS = new Map<z.core.$ZodType, Record<string, unknown>>([
  [StringMap, { maxProperties: STRING_MAP_MAX_ENTRIES }],
]);

/**
 * A payload schema compiled once by ajv, as an accept-only gate in front of zod: true means the value
 * is valid, and ajv has filled in the schema's defaults in place (the value is then what zod would
 * return, plus any unknown keys zod would have stripped, which the mappers never read). False sends
 * the value through zod, so every 400 names the field in zod's words, as before. zod's payload parse
 * was the largest validation cost of a delivery in the ingest profile (docs/benchmarks.md, Ingest).
 *
 * The JSON Schema is generated from the zod schema, so the two cannot drift apart; what JSON Schema
 * cannot say fails loudly when the module loads: transforms (zod's `toJSONSchema` throws), and any
 * refinement other than those listed in REFINEMENTS (this throws).
 */
export function payloadGate(schema: z.ZodType): (value: unknown) => boolean {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    override: (ctx) => {
      const custom = (ctx.zodSchema._zod.def.checks ?? []).some((c) => c._zod.def.check === 'custom');
      if (!custom) return;
      const known = REFINEMENTS.get(ctx.zodSchema);
      if (!known)
        throw new Error('payloadGate: a refinement JSON Schema cannot express; list it in REFINEMENTS');
      Object.assign(ctx.jsonSchema, known);
    },
  });
  return new Ajv({ strict: true, useDefaults: true }).compile(json);
}
