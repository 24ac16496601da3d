'use strict';

/**
 * Node flags for the Weir daemons the bench starts: one parser for `WEIR_BENCH_NODE_ARGS` (every
 * daemon of run.js and of the scripts using lib/daemon-process.js) and `--baseline-node-args`
 * (weir-baseline only). Flags are separated by spaces; a flag cannot hold one.
 */

/**
 * @param {string|undefined} text  e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * @returns {string[]}
 */
function splitNodeArgs(text) {
  return text === undefined ? [] : text.split(' ').filter((a) => a !== '');
}

/**
 * `WEIR_BENCH_NODE_ARGS` of `env`.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string[]}
 */
function benchNodeArgs(env = process.env) {
  return splitNodeArgs(env.WEIR_BENCH_NODE_ARGS);
}

module.exports = { splitNodeArgs, benchNodeArgs };
