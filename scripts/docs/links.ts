// Node: relative links in the project's Markdown (README.md, docs/**/*.md) must resolve inside
// the repository — to a file or folder that exists and, for `#anchors`, to a heading of the
// target Markdown file. External links (http:, https:, mailto:) are left alone: the docs must
// stand on their own for whoever clones the project, not on a sibling folder.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface LinkProblem {
  file: string;
  line: number;
  target: string;
  problem: string;
}

/** The Markdown files the check covers, relative to `root`. */
export function docFiles(root: string): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      const rel = path.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.md')) out.push(rel);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk('docs');
  return out;
}

/** Text with fenced code blocks and inline code blanked out (same line numbers). */
function withoutCode(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      if (fenced) return '';
      return line.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length));
    })
    .join('\n');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, `-n` repeats. */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every link target in the Markdown, with its line: inline, reference definitions, <a href>. */
export function linkTargets(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
      for (const m of text.matchAll(
        /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
      ))
        out.push({ line, target: m[1]! });
      const def = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+["'(].*)?$/.exec(text);
      if (def) out.push({ line, target: def[1]! });
      for (const m of text.matchAll(/<a\s[^>]*href="([^"]+)"/gi)) out.push({ line, target: m[1]! });
    });
  return out;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Problems with the relative links of one file (`file` relative to `root`). */
export function checkFile(root: string, file: string): LinkProblem[] {
  const markdown = readFileSync(path.join(root, file), 'utf8');
  const problems: LinkProblem[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (abs: string) => {
    let a = anchorsOf.get(abs);
    if (!a) {
      a = headingAnchors(readFileSync(abs, 'utf8'));
      anchorsOf.set(abs, a);
    }
    return a;
  };
  for (const { line, target } of linkTargets(markdown)) {
    if (EXTERNAL.test(target)) continue;
    const report = (problem: string) => problems.push({ file, line, target, problem });
    const hash = target.indexOf('#');
    const rawPath = hash === -1 ? target : target.slice(0, hash);
    const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      report('not a valid URL path');
      continue;
    }
    // `/x` is the repository root on GitHub; anything else is relative to the file.
    const abs =
      decoded === ''
        ? path.join(root, file)
        : decoded.startsWith('/')
          ? path.join(root, decoded)
          : path.resolve(path.dirname(path.join(root, file)), decoded);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      report('points outside the repository');
      continue;
    }
    if (!existsSync(abs)) {
      report('no such file or folder');
      continue;
    }
    if (anchor && abs.endsWith('.md') && !anchors(abs).has(anchor)) {
      report(`no heading for #${anchor} in ${rel}`);
    }
  }
  return problems;
}

export function checkDocs(root: string): LinkProblem[] {
  return docFiles(root).flatMap((f) => checkFile(root, f));
}
