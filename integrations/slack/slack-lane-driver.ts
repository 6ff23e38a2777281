import { ChatLaneDriver, type ChatLaneSettings } from '../lanes/chat-lane-driver';

/**
 * Slack's lane driver. Slack limits chat.postMessage to about one message per second per channel (short
 * bursts tolerated) and other methods per workspace tier; a 429 carries Retry-After and closes the gate
 * for every send. Four incident messages in flight at once; the per-channel bucket is the limit that
 * matters. https://docs.slack.dev/apis/web-api/rate-limits
 */
export const createSlackLaneDriver = (o: ChatLaneSettings): ChatLaneDriver =>
  new ChatLaneDriver({ ...o, concurrency: 4, system: 'slack' });
