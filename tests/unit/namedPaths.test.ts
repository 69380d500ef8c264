// Issue 27: comments and docs that name a file which moved or never existed send a newcomer the wrong way. Every
// repository path a source file's comments name, and every one the docs name, exists. What counts as a path:
//  - a token with a slash that ends in a known extension, or that starts with a top-level folder of the
//    repository (a folder, then, written with its trailing slash);
//  - a bare file name with a .ts or .md extension;
//  - in Markdown, a link's target, without its #anchor.
// Not paths: URLs, and tokens holding a placeholder (<n>, *, ${...}), or naming what a build or a run makes
// (dist/, node_modules/, .local/).
// Where it may be: a path with a slash, relative to the repository's root, the file's folder or any folder above
// it, or as the tail of a repository path (comments and docs shorten `services/api/` where the context says it);
// `../` paths from the repository's root too, so that the contracts (../shared/contract/) resolve beside the
// clone. A bare name: any file of the repository or of the contracts. Where no ../shared is beside the clone,
// the contracts' names are not checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../..');
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.local', 'coverage']);
const SOURCE_FOLDERS = ['services', 'projections', 'shared', 'bench', 'tests', 'scripts'];
const EXTENSIONS = /\.(?:ts|js|mjs|cjs|json|md|sh|ya?ml|sql|xml)$/;
const BARE_EXTENSIONS = /^[A-Za-z0-9_.-]+\.(?:ts|md)$/;
const NOT_A_PATH = /[<>{}*$]|:\/\/|^(?:dist|node_modules|\.local)\//;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIPPED.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(path.relative(ROOT, full));
  }
  return out;
}

const FILES = walk(ROOT);
const CONTRACTS = path.join(ROOT, '../shared');
const CONTRACTS_BESIDE = existsSync(CONTRACTS);
const BASENAMES = new Set([...FILES, ...(CONTRACTS_BESIDE ? walk(CONTRACTS) : [])].map((f) => path.basename(f)));
const CONTRACT_NAMES = /^(?:api|events|ops|STYLE)\.md$/;
/** Every file's and folder's path and each of its tails (`listing/kept.ts` of services/api/listing/kept.ts). */
const TAILS = new Set(FILES.flatMap((f) => {
  const parts = f.split('/');
  return parts.flatMap((_, i) => [parts.slice(i).join('/'), ...(i < parts.length - 1 ? [`${parts.slice(i, -1).join('/')}/`] : [])]);
}));
const TOP_FOLDERS = readdirSync(ROOT).filter((e) => !SKIPPED.has(e) && statSync(path.join(ROOT, e)).isDirectory());
const STARTS_AT_TOP = new RegExp(`^(?:\\./)?(?:${TOP_FOLDERS.map((f) => f.replace(/\./g, '\\.')).join('|')})/`);

/** The text of a TypeScript file's comments, found from its syntax tree (never inside a string, a template or a regular expression). */
function commentsOf(file: string, source: string): string {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const ranges = new Map<number, string>();
  const note = (list: ts.CommentRange[] | undefined) => list?.forEach((r) => ranges.set(r.pos, source.slice(r.pos, r.end)));
  const visit = (node: ts.Node) => {
    note(ts.getLeadingCommentRanges(source, node.pos));
    note(ts.getTrailingCommentRanges(source, node.end));
    node.getChildren(tree).forEach(visit);
  };
  visit(tree);
  return [...ranges.values()].join('\n');
}

/** The tokens of `text` that count as paths (the rule above). */
function namedPaths(text: string, markdown: boolean): string[] {
  const found: string[] = [];
  if (markdown) for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) found.push((m[1] as string).replace(/#.*$/, ''));
  for (const raw of text.split(/[\s`'"()[\],;|]+/)) {
    const token = raw.replace(/^[(<`]+/, '').replace(/#.*$/, '').replace(/(?::\d+(?:[-–]\d+)?)?[.,:;!?)`]*$/, '');
    if (token === '' || NOT_A_PATH.test(raw)) continue;
    if (token.includes('/') ? EXTENSIONS.test(token) || STARTS_AT_TOP.test(token) : BARE_EXTENSIONS.test(token)) found.push(token);
  }
  return [...new Set(found.filter((p) => p !== '' && !NOT_A_PATH.test(p)))];
}

/** Whether `named`, found in `file`, is a file or folder of the repository (or of the contracts beside it). */
function exists(named: string, file: string): boolean {
  if (!named.includes('/')) return BASENAMES.has(named) || (!CONTRACTS_BESIDE && CONTRACT_NAMES.test(named));
  if (named.startsWith('../shared/') && !CONTRACTS_BESIDE) return true;
  if (TAILS.has(named.replace(/^\.\//, ''))) return true;
  for (let dir = path.dirname(path.join(ROOT, file)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, named))) return true;
    if (path.relative(ROOT, dir) === '') return false;
  }
}

/** This file's own examples of what counts are not paths to check. */
const SOURCES = FILES.filter((f) => SOURCE_FOLDERS.some((d) => f.startsWith(`${d}/`)) && f.endsWith('.ts') && f !== path.relative(ROOT, __filename));
const DOCS = FILES.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));

it('finds what it checks: sources and docs, and paths in them', () => {
  expect(SOURCES.length).toBeGreaterThan(100);
  expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/decisions.md', 'docs/development.md']));
  expect(namedPaths('// see services/api/app.ts:12, and `cluster/worker.ts`; https://x.org/a.ts gen_<n>/a.ts', false)).toEqual(['services/api/app.ts', 'cluster/worker.ts']);
  expect(namedPaths('[runbook](operations.md#watch) kept.ts', true)).toEqual(['operations.md', 'kept.ts']);
  expect(namedPaths('see docs/operations.md#compare-before-switching', false)).toEqual(['docs/operations.md']);
});

it('names only paths that exist, in every source file\'s comments and every doc', () => {
  const missing: string[] = [];
  for (const file of [...SOURCES, ...DOCS]) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const markdown = file.endsWith('.md');
    for (const named of new Set(namedPaths(markdown ? text : commentsOf(file, text), markdown))) {
      if (!exists(named, file)) missing.push(`${file}: ${named}`);
    }
  }
  expect(missing).toEqual([]);
});
