/**
 * The dependency rules of STYLE.md section 1.1, as data. `tools/archcheck` enforces them; a
 * change here is a change of architecture and belongs in review with DESIGN.md.
 */
export interface PackageRule {
  /** Folder relative to the repo root. */
  readonly dir: string;
  /** Workspace packages it may import (value or type). */
  readonly weir: readonly string[];
  /** Workspace packages it may import with `import type` only. */
  readonly weirTypeOnly?: readonly string[];
  /** Third-party packages it may import. */
  readonly external: readonly string[];
  /** `node:` built-ins it may import beyond the common ones (see restrictedBuiltins). */
  readonly builtins?: readonly string[];
}

/** Built-ins only some packages may import; all other `node:` modules are free. */
export const restrictedBuiltins: readonly string[] = ['cluster'];

export const packageRules: Readonly<Record<string, PackageRule>> = {
  '@weir/errors': { dir: 'packages/errors', weir: [], external: [] },
  '@weir/regex': { dir: 'packages/regex', weir: ['@weir/errors'], external: ['re2js'] },
  '@weir/config': { dir: 'packages/config', weir: ['@weir/errors', '@weir/regex'], external: ['ajv'] },
  '@weir/runtime': { dir: 'packages/runtime', weir: ['@weir/errors'], weirTypeOnly: ['@weir/config'], external: ['msgpackr'] },
  '@weir/obs': { dir: 'packages/obs', weir: ['@weir/errors'], external: ['pino', 'prom-client'] },
  '@weir/cluster': { dir: 'packages/cluster', weir: ['@weir/errors', '@weir/runtime', '@weir/obs'], weirTypeOnly: ['@weir/limits'], external: [], builtins: ['cluster'] },
  '@weir/plugins': { dir: 'packages/plugins', weir: ['@weir/errors', '@weir/runtime', '@weir/regex'], external: ['jose'] },
  '@weir/limits': { dir: 'packages/limits', weir: ['@weir/errors'], external: [] },
  '@weir/cache': { dir: 'packages/cache', weir: ['@weir/errors', '@weir/obs'], external: [] },
  '@weir/tracing': {
    dir: 'packages/tracing',
    weir: ['@weir/errors'],
    external: ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/otlp-exporter-base', '@opentelemetry/otlp-transformer', '@opentelemetry/resources'],
  },
  '@weir/dataplane': {
    dir: 'packages/dataplane',
    weir: ['@weir/errors', '@weir/runtime', '@weir/obs', '@weir/regex', '@weir/plugins', '@weir/limits', '@weir/cache', '@weir/tracing'],
    external: ['undici'],
  },
  '@weir/bundle': { dir: 'packages/bundle', weir: ['@weir/errors'], external: ['tweetnacl'] },
  '@weir/controlplane': {
    dir: 'packages/controlplane',
    weir: ['@weir/errors', '@weir/config', '@weir/runtime', '@weir/obs', '@weir/cluster', '@weir/bundle', '@weir/limits', '@weir/tracing'],
    external: ['piscina', 'undici', 'aws4', 'ioredis'],
  },
  weir: {
    dir: 'apps/weir',
    weir: [
      '@weir/errors',
      '@weir/regex',
      '@weir/config',
      '@weir/runtime',
      '@weir/obs',
      '@weir/cluster',
      '@weir/dataplane',
      '@weir/controlplane',
      '@weir/bundle',
      '@weir/plugins',
      '@weir/limits',
      '@weir/cache',
      '@weir/tracing',
    ],
    external: [],
    builtins: ['cluster'],
  },
  // The operator console (browser code, bundled by esbuild): its UI, chart and diff libraries and,
  // at most, `import type` of the admin API's shapes; it reaches the primary over HTTP only.
  '@weir/console': { dir: 'apps/console', weir: [], weirTypeOnly: ['@weir/controlplane'], external: ['preact', 'uplot', 'diff'] },
  weirctl: { dir: 'apps/weirctl', weir: ['@weir/errors', '@weir/config', '@weir/bundle', '@weir/controlplane'], external: ['undici'] },
};

/** Subpath imports of workspace packages that are allowed, and who may use them. */
export const subpathRules: Readonly<Record<string, readonly string[]>> = {
  '@weir/cluster/primary': ['@weir/controlplane', 'weir'],
  '@weir/cluster/worker': ['weir'],
};

/**
 * Entry points whose runtime import closure must avoid some modules: a worker must not load the
 * control plane (ajv, piscina, bundles and tweetnacl, the S3 signer aws4), and the primary must not
 * load the data plane.
 */
export const closureRules: readonly { readonly entry: string; readonly forbidden: readonly string[] }[] = [
  {
    entry: 'apps/weir/src/worker.ts',
    forbidden: ['@weir/controlplane', '@weir/config', '@weir/bundle', 'piscina', 'tweetnacl', 'ajv', 'aws4', 'ioredis', '@weir/cluster/primary'],
  },
  { entry: 'apps/weir/src/primary.ts', forbidden: ['@weir/dataplane', '@weir/plugins', 'jose', 'undici', '@weir/cluster/worker'] },
];
