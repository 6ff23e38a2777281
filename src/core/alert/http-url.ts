/**
 * The bridge's link policy: only absolute http(s) URLs leave it as links. Alert payloads carry URLs chosen
 * by whoever can send an alert (`generatorURL`, Grafana's dashboard/panel/silence URLs, Icinga and
 * Checkmk `url`), and a `javascript:` or `data:` URL turned into a clickable link in a Jira description
 * (issue 12). Every renderer that makes a link — ADF, Jira wiki markup, Slack mrkdwn, Teams cards, the
 * ServiceNow text — asks this function first and shows the label as plain text otherwise.
 */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // `href` is the parsed form: white space and quotes percent-encoded, so no target format is broken out of.
  return url.href;
}
