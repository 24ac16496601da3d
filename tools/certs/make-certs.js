'use strict';
/**
 * Makes a private CA and certificates signed by it with the openssl CLI, for the tests and for
 * `npm run example-certs`. Keys are EC P-256 (fast to make, and what most deployments use).
 *
 *   makeCertificates(dir, [{ name: 'a', names: ['a.example'] }, ...])
 *     -> { ca: { cert, key }, a: { cert, key }, ... }   (absolute file paths)
 *
 * A certificate entry may set `expired: true` (valid for one day in 2020), `days` (default 30),
 * `ca: false` (self-signed instead of signed by the CA) or `ips` (IP subjectAltNames).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CA_CONFIG = `[ ca ]
default_ca = weir_ca
[ weir_ca ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = weir_policy
copy_extensions = copy
unique_subject = no
[ weir_policy ]
commonName = supplied
`;

function openssl(dir, args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function keyArgs(keyFile) {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}

function altNames(entry) {
  const dns = (entry.names || []).map((n) => `DNS:${n}`);
  const ips = (entry.ips || []).map((ip) => `IP:${ip}`);
  return [...dns, ...ips].join(',');
}

function makeCa(dir) {
  const cert = path.join(dir, 'ca.crt');
  const key = path.join(dir, 'ca.key');
  openssl(dir, [
    'req', '-x509', ...keyArgs(key), '-out', cert, '-subj', '/CN=Weir Test CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  fs.writeFileSync(path.join(dir, 'ca.cnf'), CA_CONFIG);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  return { cert, key };
}

function makeLeaf(dir, entry) {
  const cert = path.join(dir, `${entry.name}.crt`);
  const key = path.join(dir, `${entry.name}.key`);
  const cn = (entry.names && entry.names[0]) || (entry.ips && entry.ips[0]) || entry.name;
  const san = altNames(entry);
  const ext = san === '' ? [] : ['-addext', `subjectAltName=${san}`];
  if (entry.ca === false) {
    openssl(dir, ['req', '-x509', ...keyArgs(key), '-out', cert, '-subj', `/CN=${cn}`, '-days', String(entry.days || 30), ...ext]);
    return { cert, key };
  }
  const csr = path.join(dir, `${entry.name}.csr`);
  openssl(dir, ['req', ...keyArgs(key), '-out', csr, '-subj', `/CN=${cn}`, ...ext]);
  const dates = entry.expired
    ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']
    : ['-days', String(entry.days || 30)];
  openssl(dir, [
    'ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-in', csr, '-out', cert, '-notext', ...dates,
  ]);
  fs.rmSync(csr);
  return { cert, key };
}

/** Makes `dir` (if needed), a CA in it, and one certificate per entry. */
function makeCertificates(dir, entries) {
  fs.mkdirSync(dir, { recursive: true });
  const out = { ca: makeCa(dir) };
  for (const entry of entries) out[entry.name] = makeLeaf(dir, entry);
  return out;
}

module.exports = { makeCertificates };
