import { findIssue, type EmuIssue, type JiraState } from './state';

/** Jira's standard issue link types (Administration → Issue linking), with their two readings. */
export const ISSUE_LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
] as const;

/** A link between two issues: `outward` reads "<outward> <type.outward> <inward>". */
export interface EmuIssueLink {
  id: string;
  type: string;
  inwardId: string;
  outwardId: string;
}

/** `fields.issuelinks` of an issue as Jira renders it: each link from this issue's side. */
export function renderIssueLinks(state: JiraState, issue: EmuIssue): unknown[] {
  const brief = (other: EmuIssue) => ({
    id: other.id,
    key: other.key,
    fields: { summary: other.summary, issuetype: { name: other.issueType } },
  });
  return state.issueLinks.flatMap((l) => {
    const type = ISSUE_LINK_TYPES.find((t) => t.name === l.type)!;
    const other = findIssue(state, l.inwardId === issue.id ? l.outwardId : l.inwardId);
    if (!other || (l.inwardId !== issue.id && l.outwardId !== issue.id)) return [];
    // Seen from the inward issue, the other one is the outward issue, and the other way round.
    const side = l.inwardId === issue.id ? { outwardIssue: brief(other) } : { inwardIssue: brief(other) };
    return [{ id: l.id, type, ...side }];
  });
}
