import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { closureRules, packageRules, restrictedBuiltins, subpathRules, type PackageRule } from './rules';
import { listSourceFiles, packageOf, scanFile, type ImportRecord } from './scan';

/** One broken rule, pointing at the import that breaks it. */
export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly rule: 'direction' | 'undeclared' | 'builtin' | 'module-boundary' | 'cycle' | 'closure' | 'references' | 'subpath';
  readonly message: string;
}

export interface CheckOptions {
  readonly rules?: Readonly<Record<string, PackageRule>>;
  readonly closures?: typeof closureRules;
}

const builtins = new Set(builtinModules);

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function moduleOf(srcDir: string, file: string): string {
  const rel = path.relative(srcDir, file).split(path.sep);
  return rel.length > 1 ? (rel[0] ?? '') : '';
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return base + '.ts';
}

/** Check every rule over the repository at `root`; an empty list means the tree is clean. */
export function checkRepository(root: string, options: CheckOptions = {}): Violation[] {
  const rules = options.rules ?? packageRules;
  const violations: Violation[] = [];
  const rel = (f: string): string => path.relative(root, f);
  const pkgByDir = new Map<string, string>();
  for (const [name, rule] of Object.entries(rules)) pkgByDir.set(path.resolve(root, rule.dir), name);

  for (const [name, rule] of Object.entries(rules)) {
    const dir = path.resolve(root, rule.dir);
    if (!fs.existsSync(dir)) continue;
    const srcDir = path.join(dir, 'src');
    const manifest = readJson(path.join(dir, 'package.json'));
    const declared = new Set(Object.keys((manifest['dependencies'] as Record<string, string> | undefined) ?? {}));
    checkReferences(root, dir, name, declared, pkgByDir, violations);

    const moduleEdges = new Map<string, Map<string, ImportRecord>>();
    for (const file of listSourceFiles(srcDir)) {
      for (const imp of scanFile(file)) {
        const spec = imp.specifier;
        const at = { file: rel(file), line: imp.line };
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (!target.startsWith(srcDir + path.sep)) {
            violations.push({ ...at, rule: 'module-boundary', message: `relative import "${spec}" leaves ${rule.dir}/src` });
            continue;
          }
          const fromModule = moduleOf(srcDir, file);
          const toModule = moduleOf(srcDir, target);
          if (toModule !== '' && fromModule !== toModule) {
            if (target !== path.join(srcDir, toModule, 'index.ts')) {
              violations.push({ ...at, rule: 'module-boundary', message: `"${spec}" reaches into module ${toModule}; import "${toModule}/index" instead` });
            }
            let edges = moduleEdges.get(fromModule);
            if (edges === undefined) moduleEdges.set(fromModule, (edges = new Map()));
            if (!edges.has(toModule)) edges.set(toModule, imp);
          }
          continue;
        }
        const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
        if (spec.startsWith('node:') || builtins.has(packageOf(bare))) {
          const mod = packageOf(bare);
          if (restrictedBuiltins.includes(mod) && !(rule.builtins ?? []).includes(mod)) {
            violations.push({ ...at, rule: 'builtin', message: `${name} may not import node:${mod}` });
          }
          continue;
        }
        const pkg = packageOf(spec);
        if (pkg === name) {
          violations.push({ ...at, rule: 'module-boundary', message: `${name} imports itself by name; use a relative import` });
          continue;
        }
        if (spec !== pkg && pkg.startsWith('@weir/')) {
          const allowed = subpathRules[spec];
          if (allowed === undefined || !allowed.includes(name)) {
            violations.push({ ...at, rule: 'subpath', message: `${name} may not import the subpath "${spec}"` });
            continue;
          }
        } else if (pkg.startsWith('@weir/')) {
          const value = rule.weir.includes(pkg);
          const typeOnly = (rule.weirTypeOnly ?? []).includes(pkg);
          if (!value && !(typeOnly && imp.typeOnly)) {
            const how = typeOnly ? ' with a value import (only `import type` is allowed)' : '';
            violations.push({ ...at, rule: 'direction', message: `${name} may not import ${pkg}${how}` });
            continue;
          }
        } else if (!rule.external.includes(pkg)) {
          violations.push({ ...at, rule: 'direction', message: `${name} may not import the third-party package ${pkg}` });
          continue;
        }
        if (!declared.has(pkg)) {
          violations.push({ ...at, rule: 'undeclared', message: `${pkg} is imported but not declared in ${rule.dir}/package.json` });
        }
      }
    }
    findModuleCycles(moduleEdges, rel, violations);
  }
  for (const closure of options.closures ?? closureRules) checkClosure(root, closure, violations);
  return violations;
}

function checkReferences(
  root: string,
  dir: string,
  name: string,
  declared: Set<string>,
  pkgByDir: Map<string, string>,
  violations: Violation[],
): void {
  const tsconfigPath = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(tsconfigPath)) return;
  const refs = ((readJson(tsconfigPath)['references'] as { path: string }[] | undefined) ?? []).map(
    (r) => nameOfPackageDir(path.resolve(dir, r.path), pkgByDir) ?? r.path,
  );
  const weirDeps = [...declared].filter((d) => d.startsWith('@weir/'));
  const file = path.relative(root, tsconfigPath);
  for (const dep of weirDeps) {
    if (!refs.includes(dep)) violations.push({ file, line: 1, rule: 'references', message: `${name} depends on ${dep} but tsconfig.json does not reference it` });
  }
  for (const ref of refs) {
    if (!weirDeps.includes(ref)) violations.push({ file, line: 1, rule: 'references', message: `${name} references ${ref} in tsconfig.json but does not declare it` });
  }
}

function nameOfPackageDir(dir: string, pkgByDir: Map<string, string>): string | undefined {
  const known = pkgByDir.get(dir);
  if (known !== undefined) return known;
  const manifest = path.join(dir, 'package.json');
  return fs.existsSync(manifest) ? (readJson(manifest)['name'] as string | undefined) : undefined;
}

function findModuleCycles(edges: Map<string, Map<string, ImportRecord>>, rel: (f: string) => string, violations: Violation[]): void {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (mod: string): void => {
    state.set(mod, 'active');
    stack.push(mod);
    for (const [next, imp] of edges.get(mod) ?? []) {
      if (state.get(next) === 'active') {
        const cycle = [...stack.slice(stack.indexOf(next)), next].map((m) => m || '(root)').join(' -> ');
        violations.push({ file: rel(imp.file), line: imp.line, rule: 'cycle', message: `module cycle: ${cycle}` });
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(mod, 'done');
  };
  for (const mod of [...edges.keys()].sort()) if (!state.has(mod)) visit(mod);
}

/** Follow runtime (value) imports from an entry file through workspace sources. */
function checkClosure(root: string, closure: (typeof closureRules)[number], violations: Violation[]): void {
  const entry = path.resolve(root, closure.entry);
  if (!fs.existsSync(entry)) return;
  const seen = new Set<string>();
  const queue: { file: string; via: string }[] = [{ file: entry, via: closure.entry }];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const item = queue[i];
    if (item === undefined || seen.has(item.file)) continue;
    seen.add(item.file);
    for (const imp of scanFile(item.file)) {
      if (imp.typeOnly) continue;
      const spec = imp.specifier;
      const pkg = packageOf(spec.startsWith('node:') ? spec : spec);
      if (closure.forbidden.includes(spec) || closure.forbidden.includes(pkg)) {
        violations.push({
          file: path.relative(root, imp.file),
          line: imp.line,
          rule: 'closure',
          message: `${closure.entry} loads ${spec} at run time (via ${item.via})`,
        });
        continue;
      }
      let target: string | null = null;
      if (spec.startsWith('.')) target = resolveRelative(imp.file, spec);
      else if (spec.startsWith('@weir/')) {
        const [, pkgName, sub] = /^@weir\/([^/]+)(?:\/(.+))?$/.exec(spec) ?? [];
        if (pkgName !== undefined) target = path.join(root, 'packages', pkgName, 'src', `${sub ?? 'index'}.ts`);
      }
      if (target !== null && fs.existsSync(target)) queue.push({ file: target, via: path.relative(root, imp.file) });
    }
  }
}
