'use strict';

/**
 * What one exact token bucket would admit for given arrival times: the reference the accuracy
 * scripts compare Weir with, next to the closed form `burst + rate x seconds`.
 *
 * The closed form assumes a request is there whenever a token is. With discrete arrivals and a
 * small burst it is not: a bucket of burst 1 that refills every 100 ms and sees a request every
 * 33 ms (10 req/s limited, offered 30) sits full, and stops refilling, until the next arrival,
 * losing on average half an inter-arrival time per token. Replaying the actual send times
 * through a model bucket separates that effect of the load's shape from Weir's own error.
 */

/**
 * @param {number[]} times  arrival times in ms, ascending
 * @param {number} ratePerSecond
 * @param {number} burst
 * @returns {number} admitted requests
 */
function idealAdmitted(times, ratePerSecond, burst) {
  if (times.length === 0) return 0;
  let tokens = burst;
  let last = times[0];
  let admitted = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    tokens = Math.min(burst, tokens + ((t - last) * ratePerSecond) / 1000);
    last = t;
    if (tokens >= 1) {
      tokens -= 1;
      admitted++;
    }
  }
  return admitted;
}

/**
 * Merges several ascending arrays of times (two daemons loaded at once, one shared bucket).
 * @param {number[][]} lists
 * @returns {number[]}
 */
function mergeTimes(lists) {
  return lists.flat().sort((a, b) => a - b);
}

module.exports = { idealAdmitted, mergeTimes };
