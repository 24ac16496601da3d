'use strict';
/**
 * requestHeadError: the head checks every HTTP/1.x request passes before routing (issue 9 added
 * the Transfer-Encoding, Host syntax, header-count and target checks).
 * Run: `npm run bench -w @weir/dataplane -- request-head` after `tsc -b`.
 *
 * - "browser-like GET (10 fields)": a browser's head, Host first, origin-form target with a query.
 * - "wrk-like GET (2 fields)": Host and Connection only, what load generators send.
 * - "chunked POST (6 fields)": a `Transfer-Encoding: chunked` upload, so the coding is checked too.
 * - "before issue 9, browser-like": the previous check (version and Host count only), copied
 *   here so before and after come from the same run.
 */
const { requestHeadError } = require('../dist/server/request-head.js');

const browser = {
  httpVersionMajor: 1,
  httpVersionMinor: 1,
  method: 'GET',
  url: '/products/42?ref=home&utm_source=newsletter',
  rawHeaders: [
    'Host', 'shop.example.com',
    'Connection', 'keep-alive',
    'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    'Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Encoding', 'gzip, deflate, br',
    'Accept-Language', 'en-GB,en;q=0.9',
    'Cookie', 'session=abc123; theme=dark',
    'Referer', 'https://shop.example.com/',
    'If-Modified-Since', 'Sat, 29 Oct 1994 19:43:31 GMT',
    'Upgrade-Insecure-Requests', '1',
  ],
};
const wrk = { httpVersionMajor: 1, httpVersionMinor: 1, method: 'GET', url: '/', rawHeaders: ['Host', '127.0.0.1:8080', 'Connection', 'keep-alive'] };
const upload = {
  httpVersionMajor: 1,
  httpVersionMinor: 1,
  method: 'POST',
  url: '/api/v1/upload',
  rawHeaders: [
    'Host', 'api.example.com',
    'User-Agent', 'curl/8.5.0',
    'Accept', '*/*',
    'Content-Type', 'application/octet-stream',
    'Transfer-Encoding', 'chunked',
    'Authorization', 'Bearer abc.def.ghi',
  ],
};

/** The check as it was before issue 9 (request-head.ts at that time). */
function previousHeadError(req) {
  const major = req.httpVersionMajor;
  if (major !== 1) return major === 0 ? 'WEIR_ERR_BAD_REQUEST' : 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED';
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (
      name.length === 4 &&
      (name.charCodeAt(0) | 0x20) === 0x68 &&
      (name.charCodeAt(1) | 0x20) === 0x6f &&
      (name.charCodeAt(2) | 0x20) === 0x73 &&
      (name.charCodeAt(3) | 0x20) === 0x74 &&
      ++hosts === 2
    ) {
      break;
    }
  }
  if (hosts === 1) return null;
  return hosts === 0 && req.httpVersionMinor === 0 ? null : 'WEIR_ERR_BAD_REQUEST';
}

for (const [name, req] of [['browser', browser], ['wrk', wrk], ['upload', upload]]) {
  if (requestHeadError(req) !== null) throw new Error(`${name}: refused ${requestHeadError(req)}`);
}

module.exports = {
  cases: [
    { name: 'browser-like GET (10 fields)', fn: () => requestHeadError(browser) },
    { name: 'wrk-like GET (2 fields)', fn: () => requestHeadError(wrk) },
    { name: 'chunked POST (6 fields)', fn: () => requestHeadError(upload) },
    { name: 'before issue 9, browser-like', fn: () => previousHeadError(browser) },
  ],
};
