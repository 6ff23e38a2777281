import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunbooks } from '../../../integrations/runbooks/load-runbooks';

const good = (id: string, extra = ''): string =>
  `---\nid: ${id}\ntitle: ${id}\nmatch:\n  - labels: { alertname: X }\nsteps:\n  - Check {{host}}\n${extra}---\nBody of ${id}.\n`;

describe('loadRunbooks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbooks-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => writeFile(join(dir, name), text);

  it('loads valid files in file-name order with body and file', async () => {
    await write('b-second.md', good('b-second'));
    await write('a-first.md', good('a-first'));
    await write('notes.txt', 'ignored');
    await write('README.md', '# not a runbook');
    const { runbooks, errors } = await loadRunbooks(dir);
    expect(errors).toEqual([]);
    expect(runbooks.map((r) => r.id)).toEqual(['a-first', 'b-second']);
    expect(runbooks[0]).toMatchObject({
      body: 'Body of a-first.',
      file: join(dir, 'a-first.md'),
      steps: ['Check {{host}}'],
    });
  });

  it('accepts CRLF line endings and a BOM', async () => {
    await write('win.md', '\uFEFF' + good('win').replace(/\n/g, '\r\n'));
    const { runbooks, errors } = await loadRunbooks(dir);
    expect(errors).toEqual([]);
    expect(runbooks.map((r) => r.id)).toEqual(['win']);
  });

  it('reports every problem in every file at once and keeps the good ones', async () => {
    await write('01-ok.md', good('ok'));
    await write('02-typo.md', good('typo', 'tittle: again\n'));
    await write(
      '03-match-typo.md',
      `---\nid: match-typo\ntitle: t\nmatch:\n  - lables: { alertname: X }\n    hots: "dms*"\nsteps: [a]\n---\n`,
    );
    await write(
      '04-empty-steps.md',
      `---\nid: empty-steps\ntitle: t\nmatch: [{ service: "Disk*" }]\nsteps: []\n---\n`,
    );
    await write(
      '05-blank-step.md',
      `---\nid: blank-step\ntitle: t\nmatch: [{ service: "Disk*" }]\nsteps: ["  "]\n---\n`,
    );
    await write(
      '06-bad-glob.md',
      `---\nid: bad-glob\ntitle: t\nmatch: [{ host: "srv[0-9]" }, { service: "**" }]\nsteps: [a]\n---\n`,
    );
    await write(
      '07-placeholder.md',
      good('placeholder').replace('Check {{host}}', 'ssh {{hostname}} && ls {{labels.queue}} {{env.HOME}}'),
    );
    await write('08-duplicate.md', good('ok'));
    await write('09-no-front-matter.md', '# Just markdown\n');
    await write('10-bad-yaml.md', '---\nid: [unclosed\n---\n');
    await write('11-empty-entry.md', `---\nid: empty-entry\ntitle: t\nmatch: [{}]\nsteps: [a]\n---\n`);
    const { runbooks, errors } = await loadRunbooks(dir);

    // Unknown placeholders are reported but the runbook stays usable (they render literally).
    expect(runbooks.map((r) => r.id)).toEqual(['ok', 'placeholder']);
    const by = (file: string) =>
      errors.filter((e) => e.file === join(dir, file)).map((e) => `${e.path}: ${e.message}`);
    expect(by('02-typo.md')).toEqual(['tittle: unknown key "tittle" (did you mean "title"?)']);
    expect(by('03-match-typo.md')).toEqual([
      'match[0].lables: unknown key "lables" (did you mean "labels"?)',
      'match[0].hots: unknown key "hots" (did you mean "host"?)',
    ]);
    expect(by('04-empty-steps.md')).toEqual(['steps: at least one step']);
    expect(by('05-blank-step.md')).toEqual(['steps[0]: a step must not be empty']);
    expect(by('06-bad-glob.md')).toEqual([
      expect.stringMatching(/^match\[0\]\.host: invalid pattern .*"\[" is not supported/),
      expect.stringMatching(/^match\[1\]\.service: invalid pattern .*single "\*"/),
    ]);
    expect(by('07-placeholder.md')).toEqual([
      expect.stringContaining('steps[0]: unknown placeholder {{hostname}} (did you mean {{host}}?)'),
      expect.stringContaining(
        'steps[0]: unknown placeholder {{labels.queue}} (did you mean {{label.queue}}?)',
      ),
      expect.stringContaining('steps[0]: unknown placeholder {{env.HOME}}; allowed are'),
    ]);
    expect(by('08-duplicate.md')).toEqual([
      `id: duplicate id "ok", already used by ${join(dir, '01-ok.md')}`,
    ]);
    expect(by('09-no-front-matter.md')).toEqual([expect.stringContaining(': missing YAML front matter')]);
    expect(by('10-bad-yaml.md')).toEqual([expect.stringContaining(': YAML:')]);
    expect(by('11-empty-entry.md')).toEqual([
      'match[0]: a match entry needs at least one of labels, service, host, source',
    ]);
  });

  it('loads the copy-paste example from docs/runbooks.md', async () => {
    const docs = await readFile(join(__dirname, '../../../docs/runbooks.md'), 'utf8');
    const example = /```markdown\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    await write('example.md', example ?? '');
    const { runbooks, errors } = await loadRunbooks(dir);
    expect(errors).toEqual([]);
    expect(runbooks[0]).toMatchObject({
      id: 'print-queue-stuck',
      provider: 'infra',
      steps: expect.any(Array),
    });
  });

  it('reports a missing directory instead of throwing', async () => {
    const missing = join(dir, 'nope');
    const result = await loadRunbooks(missing);
    expect(result.runbooks).toEqual([]);
    expect(result.errors).toEqual([
      { file: missing, path: '', message: expect.stringContaining('cannot read runbook directory') },
    ]);
  });
});
