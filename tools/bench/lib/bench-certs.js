'use strict';

const path = require('node:path');
const { findExecutable } = require('./system-tools');

/**
 * The certificate every TLS listener of a run serves (nginx proxy, the upstream's `direct` TLS
 * port, Weir): one EC P-256 leaf for `localhost` and 127.0.0.1, signed by a private CA, made
 * fresh in the run's temp dir by tools/certs/make-certs.js (the openssl CLI, about 60 ms).
 * Clients that verify (the probes) trust the CA; wrk and h2load do not verify.
 */

/**
 * @typedef {object} BenchCerts
 * @property {string} ca     CA certificate file
 * @property {string} cert   leaf certificate file
 * @property {string} key    leaf key file
 */

/**
 * Makes the bench certificate in `<dir>/certs`, or returns a reason it cannot.
 * @param {string} dir  the run's temp dir
 * @returns {{ certs: BenchCerts } | { skip: string }}
 */
function makeBenchCerts(dir) {
  if (findExecutable('openssl') === null) return { skip: 'the openssl CLI is not installed (Debian package "openssl")' };
  const { makeCertificates } = require(path.join(__dirname, '..', '..', 'certs', 'make-certs.js'));
  try {
    const made = makeCertificates(path.join(dir, 'certs'), [{ name: 'bench', names: ['localhost'], ips: ['127.0.0.1'] }]);
    return { certs: { ca: made.ca.cert, cert: made.bench.cert, key: made.bench.key } };
  } catch (err) {
    return { skip: `making the bench certificate failed: ${/** @type {Error} */ (err).message}` };
  }
}

module.exports = { makeBenchCerts };
