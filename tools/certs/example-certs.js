#!/usr/bin/env node
'use strict';
/**
 * `npm run example-certs`: makes the private CA and certificates that deploy/examples/tls.json
 * serves, in deploy/examples/certs/ (git-ignored), and prints how to try them with curl.
 *
 *   ca.crt / ca.key                   the private CA (trust ca.crt in the client)
 *   a.example.crt / .key              a.example
 *   b.example.crt / .key              *.b.example and b.example
 *   default.crt / .key                localhost and 127.0.0.1: clients without SNI or with
 *                                     another name get this one
 *
 * Every run makes a new CA and new certificates (valid for 90 days), replacing the old ones.
 * The openssl CA database files (index, serial, copies of issued certificates) are removed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { makeCertificates } = require('./make-certs');

const REPO = path.resolve(__dirname, '..', '..');
const DIR = path.join(REPO, 'deploy', 'examples', 'certs');
const DAYS = 90;

function main() {
  const made = makeCertificates(DIR, [
    { name: 'a.example', names: ['a.example'], days: DAYS },
    { name: 'b.example', names: ['*.b.example', 'b.example'], days: DAYS },
    { name: 'default', names: ['localhost'], ips: ['127.0.0.1'], days: DAYS },
  ]);
  const keep = new Set(Object.values(made).flatMap((f) => [path.basename(f.cert), path.basename(f.key)]));
  for (const file of fs.readdirSync(DIR)) {
    if (!keep.has(file)) fs.rmSync(path.join(DIR, file), { force: true });
  }
  const rel = (file) => path.relative(process.cwd(), file) || '.';
  const out = [
    `Made in ${rel(DIR)} (valid ${DAYS} days):`,
    `  ${rel(made.ca.cert)}            private CA (trust it in the client), key ${path.basename(made.ca.key)}`,
    `  ${rel(made['a.example'].cert)}     a.example`,
    `  ${rel(made['b.example'].cert)}     *.b.example, b.example`,
    `  ${rel(made.default.cert)}       localhost, 127.0.0.1 (the default certificate)`,
    '',
    'Try the TLS example (from the repository root; the config names these files relative to it):',
    '  node apps/weir/dist/main.js --config deploy/examples/tls.json     # after npm run build',
    '  curl --cacert deploy/examples/certs/ca.crt --resolve a.example:8443:127.0.0.1 https://a.example:8443/',
    '  curl --cacert deploy/examples/certs/ca.crt --resolve api.b.example:8443:127.0.0.1 https://api.b.example:8443/',
    '  curl -i http://127.0.0.1:8080/        # 308 to https://127.0.0.1:8443/',
    'The upstream is 127.0.0.1:9001; without one, proxied requests get 502 WEIR_ERR_UPSTREAM_CONNECT.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
