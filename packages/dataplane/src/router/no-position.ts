/**
 * Past every route position. A small integer rather than Infinity: positions, limits and
 * sentinels then all stay Smis, and the scans never box a double (measured: Infinity here cost
 * about 24 B per lookup on misses).
 */
export const NO_POSITION = 0x3fffffff;
