/**
 * Minimal Atlassian Document Format validation: what Jira Cloud rejects with 400 on a rich-text field.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
const BLOCK = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'blockquote',
  'rule',
  'panel',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'taskList',
  'taskItem',
  'mediaSingle',
  'media',
  'expand',
]);
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date']);

/** null when `doc` is a valid ADF document, otherwise the reason. */
export function adfProblem(doc: unknown): string | null {
  if (!isObj(doc) || doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) {
    return 'root must be {"type":"doc","version":1,"content":[...]}';
  }
  return nodesProblem(doc.content, 'content');
}

function nodesProblem(nodes: unknown[], path: string): string | null {
  for (const [i, node] of nodes.entries()) {
    const where = `${path}[${i}]`;
    if (!isObj(node) || typeof node.type !== 'string') return `${where}: node without a type`;
    if (!BLOCK.has(node.type) && !INLINE.has(node.type)) return `${where}: unknown node type '${node.type}'`;
    if (node.type === 'text' && (typeof node.text !== 'string' || node.text.length === 0)) {
      return `${where}: text nodes must have non-empty text`;
    }
    if (node.content !== undefined) {
      if (!Array.isArray(node.content)) return `${where}.content must be an array`;
      const inner = nodesProblem(node.content, `${where}.content`);
      if (inner) return inner;
    }
  }
  return null;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
