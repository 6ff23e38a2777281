import type { App } from '@slack/bolt';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';

/** The App Home tab: my acknowledged incidents and my providers' unacknowledged queue. */
export function registerAppHome(app: App, deps: SlackHandlerDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const actor = await slackActor(deps, event.user);
    const { mine, queue } = await deps.commands.home(actor);
    await client.views.publish({ user_id: event.user, view: deps.present.home(mine, queue) as never });
  });
}
