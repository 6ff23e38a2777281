import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SCOPES } from '../../../integrations/sandbox/slack/state';

const manifest = parse(
  readFileSync(join(__dirname, '../../../integrations/slack/manifest.yaml'), 'utf8'),
) as Record<string, any>;

describe('Slack app manifest', () => {
  it('grants exactly the scopes the emulator assumes (so the sandbox behaves like the real app)', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...DEFAULT_SCOPES].sort());
  });

  it('sends commands, interactivity and events to /slack/events', () => {
    const urls = [
      manifest.features.slash_commands[0].url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    expect(new Set(urls)).toEqual(new Set(['https://YOUR-HOST/slack/events']));
    expect(manifest.features.slash_commands[0].command).toBe('/itsm');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    });
  });
});
