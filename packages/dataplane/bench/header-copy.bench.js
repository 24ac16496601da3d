'use strict';
/**
 * copyRequestHeaders / copyResponseHeaders: the per-request header work of the proxy.
 * Run: `npm run bench -w @weir/dataplane -- header-copy` after `tsc -b`.
 *
 * - "request, browser-like": 10 fields as a browser sends them (Host first, Connection:
 *   keep-alive), the common case.
 * - "request, wrk-like": Host and Connection only, what load generators send.
 * - "request, Connection names a field": the slow path that parses the Connection value.
 * - "response, typical": 6 fields as undici parses them, Connection: keep-alive and Keep-Alive.
 */
const { copyRequestHeaders, copyResponseHeaders } = require('../dist/index.js');

const browser = [
  'Host', 'shop.example.com',
  'Connection', 'keep-alive',
  'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Encoding', 'gzip, deflate, br',
  'Accept-Language', 'en-GB,en;q=0.9',
  'Cookie', 'session=abc123; theme=dark',
  'Referer', 'https://shop.example.com/',
  'Sec-Fetch-Mode', 'navigate',
  'Upgrade-Insecure-Requests', '1',
];
const wrk = ['Host', '127.0.0.1:8080', 'Connection', 'keep-alive'];
const named = ['Host', 'a.example', 'Connection', 'keep-alive, X-Private', 'X-Private', '1', 'Accept', '*/*'];
const response = {
  'content-type': 'text/html; charset=utf-8',
  'content-length': '5120',
  date: 'Tue, 25 Nov 2025 10:00:00 GMT',
  etag: '"abc"',
  connection: 'keep-alive',
  'keep-alive': 'timeout=5',
};

function expect(got, want, name) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${name}: got ${JSON.stringify(got)}`);
}
{
  const out = [];
  copyRequestHeaders(named, out, '10.0.0.1', null);
  expect(out.slice(0, 4), ['Host', 'a.example', 'Accept', '*/*'], 'named');
  expect(copyResponseHeaders(response).length, 10, 'response');
}

module.exports = {
  cases: [
    { name: 'request, browser-like (10 fields)', fn: () => copyRequestHeaders(browser, [], '10.0.0.1', null) },
    { name: 'request, wrk-like (2 fields)', fn: () => copyRequestHeaders(wrk, [], '10.0.0.1', null) },
    { name: 'request, Connection names a field', fn: () => copyRequestHeaders(named, [], '10.0.0.1', null) },
    { name: 'response, typical (6 fields)', fn: () => copyResponseHeaders(response) },
  ],
};
