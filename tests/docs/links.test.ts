/**
 * The design documents travel with the code: every relative link in the README, in docs/ and in the
 * notes beside the code (PROFILE.md, README.md in a folder) must lead to a file or folder of this
 * repository, so a fresh clone has no dead design links (they once pointed at ../shared/docs, a
 * folder only the original development machines had). Web links are not followed: the test stays
 * offline.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Folders whose Markdown is prose about the code; generated and installed folders are not. */
const skippedFolders = new Set(['node_modules', '.git', 'out', 'dist', 'release', 'coverage']);

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || skippedFolders.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) found.push(full);
  }
  return found;
}

/**
 * Link targets of inline links `[text](target "title")` and reference definitions `[id]: target`,
 * outside fenced code blocks and code spans (a code span that is itself link text is kept).
 */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`(?!\])/g, '``');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

/** The relative links of a Markdown text in `folder` that do not lead to anything inside the repository. */
function deadRelativeLinks(markdown: string, folder: string, repositoryRoot: string): string[] {
  const dead: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // https:, mailto:, same-page anchor
    const withoutAnchor = decodeURI(target.split('#')[0]!.split('?')[0]!);
    const resolved = path.resolve(folder, withoutAnchor);
    const inside = resolved === repositoryRoot || resolved.startsWith(repositoryRoot + path.sep);
    if (!inside || !existsSync(resolved)) dead.push(target);
  }
  return dead;
}

describe('design documents in a fresh clone', () => {
  const files = markdownFiles(root);

  it('finds the README and the design documents in docs/', () => {
    const names = files.map((f) => path.relative(root, f));
    expect(names).toContain('README.md');
    expect(names).toEqual(expect.arrayContaining(['docs/architecture.md', 'docs/protocols.md']));
  });

  it.each(files.map((f) => [path.relative(root, f), f]))('every relative link in %s resolves inside the repository', (_name, file) => {
    expect(deadRelativeLinks(readFileSync(file, 'utf8'), path.dirname(file), root)).toEqual([]);
  });

  it('reports a link to a missing file, and one that leaves the repository, as dead', () => {
    const markdown = [
      '[ok](protocols.md#1-resident-id-card-reader-sam-ga-467-serial) [web](https://example.org/x.md) [here](#top)',
      '[gone](missing.md) [out](../../shared/docs/style.md) `[span](in-code.md)`',
      '```',
      '[fenced](in-a-code-block.md)',
      '```',
      '[ref]: ../README.md',
      '[dead-ref]: nowhere/',
    ].join('\n');
    expect(deadRelativeLinks(markdown, path.join(root, 'docs'), root)).toEqual(['missing.md', '../../shared/docs/style.md', 'nowhere/']);
  });
});
