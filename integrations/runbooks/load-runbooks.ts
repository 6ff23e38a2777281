import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { Runbook, RunbookEscalation, RunbookMatchEntry, type LoadedRunbook } from '../../src/core/runbook/runbook';
import { findUnknownPlaceholders } from '../../src/core/runbook/substitute-placeholders';
import { didYouMean } from './did-you-mean';

/** One problem in one file; `path` is the front-matter field (`match[0].labels`), `''` for the file. */
export interface RunbookLoadError {
  file: string;
  path: string;
  message: string;
}

/** Everything usable plus every problem found, so check-config can print them all in one go. */
export interface LoadRunbooksResult {
  /** Valid runbooks in file-name order (that order breaks matching ties). */
  runbooks: LoadedRunbook[];
  errors: RunbookLoadError[];
}

type Path = readonly PropertyKey[];

function formatPath(path: Path): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

/** Keys a strict object at `path` accepts, for "did you mean" hints. */
function knownKeysAt(path: Path): string[] {
  if (path.length === 0) return Object.keys(Runbook.shape);
  if (path[0] === 'match' && path.length === 2) return Object.keys(RunbookMatchEntry.shape);
  if (path[0] === 'escalation' && path.length === 2) return Object.keys(RunbookEscalation.shape);
  return [];
}

function zodErrors(file: string, issues: readonly z.core.$ZodIssue[]): RunbookLoadError[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') {
      return [{ file, path: formatPath(issue.path), message: issue.message }];
    }
    return issue.keys.map((key) => {
      const hint = didYouMean(key, knownKeysAt(issue.path));
      return {
        file,
        path: formatPath([...issue.path, key]),
        message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    });
  });
}

/** Splits `---\n<yaml>\n---\n<markdown>`; CRLF and a BOM are tolerated (files edited on Windows). */
function splitFrontMatter(text: string): { yaml: string; body: string } | null {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)([\s\S]*)$/.exec(normalized);
  return match ? { yaml: match[1] ?? '', body: (match[2] ?? '').trim() } : null;
}

function placeholderHint(placeholder: string): string {
  const name = placeholder.replace(/^\{\{\s*|\s*\}\}$/g, '');
  const dot = name.indexOf('.');
  const guess =
    dot >= 0
      ? didYouMean(name.slice(0, dot), ['label']) && `label.${name.slice(dot + 1)}`
      : didYouMean(name, ['host', 'service', 'branch']);
  return guess ? ` (did you mean {{${guess}}}?)` : '';
}

function placeholderErrors(file: string, runbook: Runbook): RunbookLoadError[] {
  const texts: [string, string][] = [['title', runbook.title], ...runbook.steps.map((s, i): [string, string] => [`steps[${i}]`, s])];
  return texts.flatMap(([path, text]) =>
    findUnknownPlaceholders(text).map((placeholder) => ({
      file,
      path,
      message:
        `unknown placeholder ${placeholder}${placeholderHint(placeholder)}; ` +
        'allowed are {{host}}, {{service}}, {{branch}}, {{label.<name>}} — it is shown literally',
    })),
  );
}

/** Parses and validates one file; a runbook is returned only when its front matter is valid. */
function parseRunbookFile(file: string, text: string): { runbook: LoadedRunbook | null; errors: RunbookLoadError[] } {
  const parts = splitFrontMatter(text);
  if (!parts) {
    return { runbook: null, errors: [{ file, path: '', message: 'missing YAML front matter: the file must start with a "---" line and close it with another "---" line' }] };
  }
  const document = parseDocument(parts.yaml, { prettyErrors: true });
  if (document.errors.length > 0) {
    return { runbook: null, errors: document.errors.map((error) => ({ file, path: '', message: `YAML: ${error.message.trim()}` })) };
  }
  const parsed = Runbook.safeParse(document.toJS());
  if (!parsed.success) return { runbook: null, errors: zodErrors(file, parsed.error.issues) };
  // Unknown placeholders are reported but harmless (rendered literally), so the runbook stays usable.
  return { runbook: { ...parsed.data, body: parts.body, file }, errors: placeholderErrors(file, parsed.data) };
}

/**
 * Reads every `*.md` file in `dir` (except README.md), in file-name order, and validates it. Never throws
 * for a bad file or a missing directory: all problems come back in `errors` — invalid YAML, schema errors
 * (unknown keys with a hint, empty steps, invalid globs), unknown placeholders and duplicate ids (the first
 * file keeps the id). Files with schema errors are left out of `runbooks`.
 */
export async function loadRunbooks(dir: string): Promise<LoadRunbooksResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md').sort();
  } catch (error) {
    return { runbooks: [], errors: [{ file: dir, path: '', message: `cannot read runbook directory: ${(error as Error).message}` }] };
  }
  const runbooks: LoadedRunbook[] = [];
  const errors: RunbookLoadError[] = [];
  const firstFileById = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      errors.push({ file, path: '', message: `cannot read file: ${(error as Error).message}` });
      continue;
    }
    const result = parseRunbookFile(file, text);
    errors.push(...result.errors);
    if (!result.runbook) continue;
    const first = firstFileById.get(result.runbook.id);
    if (first) {
      errors.push({ file, path: 'id', message: `duplicate id "${result.runbook.id}", already used by ${first}` });
      continue;
    }
    firstFileById.set(result.runbook.id, file);
    runbooks.push(result.runbook);
  }
  return { runbooks, errors };
}
