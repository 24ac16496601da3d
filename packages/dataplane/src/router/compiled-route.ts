import type { IncomingHttpHeaders } from 'node:http';
import type { MatchSpec, PathMatchSpec } from '@weir/runtime';
import { LinearRegex } from '@weir/regex';
import { CompiledHeader } from './compiled-header';

/*
 * Path test kinds are small integers so the hot path switches on a number, not a
 * string. Plain constants rather than `const enum`: isolatedModules (ts-jest) cannot inline
 * const enums across files.
 */
/** Any path; also the prefix `/`, which matches every path. */
export const PATH_ANY = 0;
/** The path equals the value. */
export const PATH_EXACT = 1;
/** Prefix ending in `/`: plain `startsWith`. */
export const PATH_PREFIX_DIR = 2;
/** Prefix without a trailing slash: equal, or continues with `/` (segment boundary). */
export const PATH_PREFIX_SEGMENT = 3;
/** Regular expression over the whole path (RE2, linear time: `@weir/regex`). */
export const PATH_REGEX = 4;
type PathKind = 0 | 1 | 2 | 3 | 4;

/**
 * A route's match, compiled for the hot path. `position` is the route's index in config order;
 * lower positions win.
 */
export class CompiledRoute<T> {
  readonly position: number;
  readonly value: T;
  readonly pathKind: PathKind;
  readonly pathValue: string;
  readonly pathRegex: LinearRegex | null;
  /** Upper-case methods, or null for any method. */
  readonly methods: readonly string[] | null;
  /** Header conditions, or null when there are none. */
  readonly headers: readonly CompiledHeader[] | null;

  constructor(position: number, match: MatchSpec, value: T) {
    this.position = position;
    this.value = value;
    const path: PathMatchSpec = match.path;
    this.pathRegex = null;
    this.pathValue = '';
    switch (path.kind) {
      case 'exact':
        this.pathKind = PATH_EXACT;
        this.pathValue = path.value;
        break;
      case 'prefix':
        this.pathValue = path.value;
        if (path.value === '/' || path.value === '') this.pathKind = PATH_ANY;
        else if (path.value.endsWith('/')) this.pathKind = PATH_PREFIX_DIR;
        else this.pathKind = PATH_PREFIX_SEGMENT;
        break;
      case 'regex':
        this.pathKind = PATH_REGEX;
        this.pathValue = path.value;
        this.pathRegex = LinearRegex.compile(path.value);
        break;
      default:
        this.pathKind = PATH_ANY;
    }
    this.methods = match.methods.length === 0 ? null : match.methods.map((m) => m.toUpperCase());
    this.headers = match.headers.length === 0 ? null : match.headers.map((h) => new CompiledHeader(h));
  }

  /** The path condition alone. */
  matchesPath(path: string): boolean {
    switch (this.pathKind) {
      case PATH_ANY:
        return true;
      case PATH_EXACT:
        return path === this.pathValue;
      case PATH_PREFIX_DIR:
        return path.startsWith(this.pathValue);
      case PATH_PREFIX_SEGMENT:
        return (
          path.startsWith(this.pathValue) &&
          (path.length === this.pathValue.length || path.charCodeAt(this.pathValue.length) === 0x2f)
        );
      default:
        return (this.pathRegex as LinearRegex).test(path);
    }
  }

  /** Method and header conditions (the path was checked by the caller or by the index). */
  matchesRest(method: string, headers: IncomingHttpHeaders): boolean {
    const methods = this.methods;
    if (methods !== null) {
      let found = false;
      for (let i = 0; i < methods.length; i++) {
        if (methods[i] === method) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    const conditions = this.headers;
    if (conditions !== null) {
      for (let i = 0; i < conditions.length; i++) {
        if (!(conditions[i] as CompiledHeader).matches(headers)) return false;
      }
    }
    return true;
  }
}

/**
 * Scans `list` (positions in ascending order) for the first route below `best` that matches
 * and returns its position, or `best` when none does. Lists are sorted, so the scan stops at the
 * first position at or above `best`: candidates that cannot win are never tested.
 *
 * @param pathChecked true when the index already proved the path condition (exact-path lists).
 */
export function firstMatch(
  routes: readonly CompiledRoute<unknown>[],
  list: readonly number[],
  pathChecked: boolean,
  path: string,
  method: string,
  headers: IncomingHttpHeaders,
  best: number,
): number {
  for (let i = 0; i < list.length; i++) {
    const pos = list[i] as number;
    if (pos >= best) return best;
    const route = routes[pos] as CompiledRoute<unknown>;
    if ((pathChecked || route.matchesPath(path)) && route.matchesRest(method, headers)) return pos;
  }
  return best;
}
