'use strict';

/** Body of `/small`: 13 bytes, the classic "hello, world\n". */
const SMALL_BODY = 'hello, world\n';
/** Size of `/64k`'s response body. */
const LARGE_SIZE = 64 * 1024;
/** Size of the `/post` request body. */
const POST_SIZE = 16 * 1024;
/** Body of the answer to `/post`. */
const POST_ANSWER = 'ok\n';

/**
 * @typedef {object} Scenario
 * @property {string} id            flag value and JSON key
 * @property {string} title         table heading
 * @property {string} method
 * @property {string} path
 * @property {number} requestBytes  request body size (0: none)
 * @property {(status: number, body: Buffer) => string|null} check  null when a probe answer is right
 */

/** @type {Record<string, Scenario>} */
const SCENARIOS = {
  small: {
    id: 'small',
    title: `Small GET (GET /small, ${SMALL_BODY.length}-byte body)`,
    method: 'GET',
    path: '/small',
    requestBytes: 0,
    check: (status, body) => expect(status, body, SMALL_BODY.length, Buffer.from(SMALL_BODY)),
  },
  '64k': {
    id: '64k',
    title: 'Large GET (GET /64k, 64 KiB body)',
    method: 'GET',
    path: '/64k',
    requestBytes: 0,
    check: (status, body) => expect(status, body, LARGE_SIZE, null),
  },
  post: {
    id: 'post',
    title: 'Upload (POST /post, 16 KiB body, 3-byte answer)',
    method: 'POST',
    path: '/post',
    requestBytes: POST_SIZE,
    check: (status, body) => expect(status, body, POST_ANSWER.length, Buffer.from(POST_ANSWER)),
  },
};

function expect(status, body, length, exact) {
  if (status !== 200) return `status ${status}, expected 200`;
  if (body.length !== length) return `body of ${body.length} bytes, expected ${length}`;
  if (exact !== null && !body.equals(exact)) return `unexpected body ${JSON.stringify(body.toString('latin1').slice(0, 40))}`;
  return null;
}

/** Contents of the static 64 KiB file: printable and deterministic. */
function largeBody() {
  const line = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/\n');
  const out = Buffer.alloc(LARGE_SIZE);
  for (let off = 0; off < LARGE_SIZE; off += line.length) line.copy(out, off);
  return out;
}

module.exports = { SCENARIOS, SMALL_BODY, LARGE_SIZE, POST_SIZE, POST_ANSWER, largeBody };
