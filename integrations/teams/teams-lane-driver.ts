import { ChatLaneDriver, type ChatLaneSettings } from '../lanes/chat-lane-driver';

/**
 * Teams' lane driver. The Bot Connector throttles per conversation and answers 429 with Retry-After, as
 * do Workflows webhooks; the per-channel bucket keeps us under it. Four cards in flight at once, as for
 * Slack. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export const createTeamsLaneDriver = (o: ChatLaneSettings): ChatLaneDriver =>
  new ChatLaneDriver({ ...o, concurrency: 4, system: 'teams' });
