#!/usr/bin/env node
'use strict';
/**
 * Builds the operator console into dist/: index.html, console.js (one minified bundle: Preact,
 * uPlot, jsdiff and the app) and console.css (the app's styles and uPlot's). No inline script
 * or style, no external URL: the admin server sends a strict CSP (console-assets.ts).
 * Fails when the compressed JavaScript exceeds the budget of issue 17 (150 KiB gzip).
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const esbuild = require('esbuild');

const BUDGET_BYTES = 150 * 1024;
const root = __dirname;
const out = path.join(root, 'dist');

async function main() {
  fs.mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: { console: path.join(root, 'src/main.tsx') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: out,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const uplotCss = fs.readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const appCss = fs.readFileSync(path.join(root, 'src/console.css'), 'utf8');
  fs.writeFileSync(path.join(out, 'console.css'), `${uplotCss}\n${appCss}`);
  fs.copyFileSync(path.join(root, 'src/index.html'), path.join(out, 'index.html'));
  const js = fs.readFileSync(path.join(out, 'console.js'));
  const gz = zlib.gzipSync(js, { level: 9 }).length;
  if (process.env.WEIR_CONSOLE_BUILD_QUIET !== '1') {
    process.stdout.write(`console: ${(js.length / 1024).toFixed(1)} KiB JS, ${(gz / 1024).toFixed(1)} KiB gzip (budget ${BUDGET_BYTES / 1024} KiB)\n`);
  }
  if (gz > BUDGET_BYTES) throw new Error(`console.js is ${gz} bytes compressed, over the ${BUDGET_BYTES}-byte budget`);
}

main().catch((err) => {
  process.stderr.write(`console build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
