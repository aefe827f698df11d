// Every relative link in README.md and docs/**/*.md resolves inside the repository (files,
// folders and heading anchors), and the checker itself catches what it must.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDocs, docFiles, headingAnchors } from './links.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe("the project's documentation", () => {
  it('covers README.md and docs/', () => {
    const files = docFiles(root);
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('docs', 'README.md'));
    expect(files).toContain(path.join('docs', 'architecture.md'));
    expect(files).toContain(path.join('docs', 'operations.md'));
  });

  it('has no relative link that leaves the repository or leads nowhere', () => {
    const problems = checkDocs(root).map((p) => `${p.file}:${p.line} ${p.target} — ${p.problem}`);
    expect(problems).toEqual([]);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bedside-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports links outside the repository, missing files and missing anchors', () => {
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(
      path.join(dir, 'README.md'),
      [
        '# Project',
        'See [the design](../shared/DESIGN.md), [ops](docs/ops.md#backups),',
        '[gone](docs/gone.md), [top](#project), [nowhere](#nowhere) and [web](https://example.com).',
        '`[in code](nope.md)`',
        '```',
        '[in a block](nope.md)',
        '```',
        '[ref]: docs/ops.md#no-such-heading',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'docs', 'ops.md'), '# Ops\n\n## Backups\n');
    const problems = checkDocs(dir).map((p) => [p.line, p.target, p.problem]);
    expect(problems).toEqual([
      [2, '../shared/DESIGN.md', 'points outside the repository'],
      [3, 'docs/gone.md', 'no such file or folder'],
      [3, '#nowhere', 'no heading for #nowhere in README.md'],
      [8, 'docs/ops.md#no-such-heading', 'no heading for #no-such-heading in docs/ops.md'],
    ]);
  });

  it('makes anchors as GitHub does', () => {
    const anchors = headingAnchors(
      '# Wire contract: Socket.io signaling\n## The `duration` rule\n## Notes\n## Notes\n',
    );
    expect([...anchors]).toEqual([
      'wire-contract-socketio-signaling',
      'the-duration-rule',
      'notes',
      'notes-1',
    ]);
  });
});
