import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkRepository, type PackageRule } from '../src/index';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Write a small fake workspace: files maps relative paths to contents. */
function fixture(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archcheck-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const manifest = (deps: string[]): string =>
  JSON.stringify({ dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) });
const tsconfig = (refs: string[]): string => JSON.stringify({ references: refs.map((r) => ({ path: r })) });

const rules: Record<string, PackageRule> = {
  '@weir/errors': { dir: 'packages/errors', weir: [], external: [] },
  '@weir/runtime': { dir: 'packages/runtime', weir: ['@weir/errors'], weirTypeOnly: ['@weir/config'], external: ['msgpackr'] },
  '@weir/dataplane': { dir: 'packages/dataplane', weir: ['@weir/errors', '@weir/runtime'], external: ['undici'] },
};

function baseFiles(): Record<string, string> {
  return {
    'packages/errors/package.json': manifest([]),
    'packages/errors/src/index.ts': 'export const x = 1;\n',
    'packages/config/package.json': JSON.stringify({ name: '@weir/config' }),
    'packages/runtime/package.json': manifest(['@weir/errors', '@weir/config', 'msgpackr']),
    'packages/runtime/tsconfig.json': tsconfig(['../errors', '../config']),
    'packages/runtime/src/index.ts': "import type { WeirConfig } from '@weir/config';\nimport { x } from '@weir/errors';\nexport type C = WeirConfig;\nexport const y = x;\n",
    'packages/dataplane/package.json': manifest(['@weir/errors', '@weir/runtime', 'undici']),
    'packages/dataplane/tsconfig.json': tsconfig(['../errors', '../runtime']),
    'packages/dataplane/src/index.ts': "export { route } from './router/index';\n",
    'packages/dataplane/src/router/index.ts': "import { Pool } from 'undici';\nexport const route = Pool;\n",
  };
}

describe('archcheck', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const run = (files: Record<string, string>): ReturnType<typeof checkRepository> => {
    const dir = fixture(files);
    dirs.push(dir);
    return checkRepository(dir, { rules, closures: [] });
  };

  it('finds no violation in this repository', () => {
    const violations = checkRepository(repoRoot);
    expect(violations).toEqual([]);
  });

  it('accepts a clean fixture', () => {
    expect(run(baseFiles())).toEqual([]);
  });

  it('rejects an import against the dependency direction', () => {
    const files = baseFiles();
    files['packages/dataplane/src/router/index.ts'] = "import { validate } from '@weir/config';\nexport const route = validate;\n";
    const v = run(files);
    expect(v.map((x) => [x.rule, x.file, x.line])).toEqual([['direction', 'packages/dataplane/src/router/index.ts', 1]]);
  });

  it('allows a type-only import but rejects a value import of a type-only dependency', () => {
    const files = baseFiles();
    files['packages/runtime/src/index.ts'] = "import { schema } from '@weir/config';\nexport const s = schema;\n";
    expect(run(files).map((x) => x.rule)).toEqual(['direction']);
  });

  it('rejects a third-party import not in the rules and one not declared in package.json', () => {
    const files = baseFiles();
    files['packages/errors/src/index.ts'] = "import pino from 'pino';\nexport const x = pino;\n";
    files['packages/dataplane/package.json'] = manifest(['@weir/errors', '@weir/runtime']);
    expect(run(files).map((x) => x.rule).sort()).toEqual(['direction', 'undeclared']);
  });

  it('rejects node:cluster outside the packages allowed to use it', () => {
    const files = baseFiles();
    files['packages/dataplane/src/router/index.ts'] = "import cluster from 'node:cluster';\nexport const route = cluster;\n";
    expect(run(files).map((x) => x.rule)).toEqual(['builtin']);
  });

  it('rejects reaching into another module past its index, and module cycles', () => {
    const files = baseFiles();
    files['packages/dataplane/src/router/table.ts'] = "export const t = 1;\n";
    files['packages/dataplane/src/proxy/index.ts'] = "import { t } from '../router/table';\nexport const p = t;\n";
    files['packages/dataplane/src/router/index.ts'] = "import { p } from '../proxy/index';\nexport const route = p;\n";
    const v = run(files);
    expect(v.map((x) => x.rule).sort()).toEqual(['cycle', 'module-boundary']);
  });

  it('rejects tsconfig references that disagree with package.json', () => {
    const files = baseFiles();
    files['packages/dataplane/tsconfig.json'] = tsconfig(['../errors']);
    const v = run(files);
    expect(v).toEqual([expect.objectContaining({ rule: 'references', file: 'packages/dataplane/tsconfig.json' })]);
  });

  it('follows runtime imports from an entry file and flags forbidden modules', () => {
    const files = baseFiles();
    files['apps/weir/src/worker.ts'] = "import { y } from '@weir/runtime';\nimport './wire';\nexport const w = y;\n";
    files['apps/weir/src/wire.ts'] = "import type { Pool } from 'undici';\nimport 'msgpackr';\nexport type P = Pool;\n";
    const dir = fixture(files);
    dirs.push(dir);
    const v = checkRepository(dir, { rules, closures: [{ entry: 'apps/weir/src/worker.ts', forbidden: ['msgpackr', 'undici'] }] });
    expect(v.map((x) => [x.rule, x.file])).toEqual([['closure', 'apps/weir/src/wire.ts']]);
  });
});
