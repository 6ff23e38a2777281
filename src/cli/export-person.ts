import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppConfig } from '../config/app-config';
import type { OnCallPerson } from '../core/oncall/schedule';
import { exportPerson } from '../app/export-person';
import { systemClock } from '../../integrations/clock/system-clock';
import { loadedConfig, openConfiguredStore } from './audit';

/** Every person the configuration names: on-call rotations, their overrides, provider on-call lists. */
export function configuredPeople(config: AppConfig): OnCallPerson[] {
  const rotations = Object.values(config.oncall).flatMap((c) => [
    ...c.layers.flatMap((l) => l.people),
    ...c.overrides.flatMap((o) => (typeof o.person === 'string' ? [] : [o.person])),
  ]);
  const lists = config.providers.flatMap((p) =>
    p.oncall.map((o) => ({
      name: o.name,
      ...(o.slack ? { slackUser: o.slack } : {}),
      ...(o.teams ? { teamsUser: o.teams } : {}),
      ...(o.phone ? { phone: o.phone } : {}),
    })),
  );
  return [...rotations, ...lists];
}

/** `itsm-bridge export-person <e-mail|chat id> [--out file]`: the data-subject export as JSON. */
export function registerExportPersonCommand(program: Command): void {
  program
    .command('export-person')
    .description('everything stored about one person, as JSON (GDPR art. 15)')
    .argument('<who>', 'e-mail address or chat id (slack:U0123, teams:<user id>)')
    .option('--out <file>', 'file to write (default stdout)')
    .action(async (who: string, o: { out?: string }) => {
      const loaded = loadedConfig();
      const store = await openConfiguredStore(loaded);
      try {
        const r = await exportPerson(
          { store, people: configuredPeople(loaded.config), clock: systemClock },
          who,
        );
        if ('error' in r) throw new Error(r.error);
        const json = `${JSON.stringify(r, null, 2)}\n`;
        if (o.out) writeFileSync(o.out, json, { mode: 0o600 });
        else process.stdout.write(json);
      } finally {
        await store.close();
      }
    });
}
