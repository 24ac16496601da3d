import { addHeader, addResponseHeader, getHeader, hasHeader, headerNameIs, removeHeader, setHeader } from '../src/index';
import { TestRequest } from './support/test-request';

describe('header-list', () => {
  it('compares names ASCII case-insensitively against a lower-case name', () => {
    expect(headerNameIs('Content-Type', 'content-type')).toBe(true);
    expect(headerNameIs('content-type', 'content-type')).toBe(true);
    expect(headerNameIs('CONTENT-TYPE', 'content-type')).toBe(true);
    expect(headerNameIs('Content-Typo', 'content-type')).toBe(false);
    expect(headerNameIs('Content-Type2', 'content-type')).toBe(false);
    expect(headerNameIs('[', '{')).toBe(false);
  });

  it('gets the first value, case-insensitively, or null', () => {
    const list = ['Host', 'a', 'X-Id', '1', 'x-id', '2'];
    expect(getHeader(list, 'x-id')).toBe('1');
    expect(getHeader(list, 'host')).toBe('a');
    expect(getHeader(list, 'absent')).toBeNull();
    expect(getHeader([], 'x')).toBeNull();
    expect(hasHeader(list, 'x-id')).toBe(true);
    expect(hasHeader(list, 'y')).toBe(false);
  });

  it('sets: replaces the first line in place, removes the others, appends when absent', () => {
    const list = ['A', '1', 'X-Id', '1', 'B', '2', 'x-id', '2', 'C', '3'];
    setHeader(list, 'x-id', 'new');
    expect(list).toEqual(['A', '1', 'x-id', 'new', 'B', '2', 'C', '3']);
    setHeader(list, 'd', '4');
    expect(list).toEqual(['A', '1', 'x-id', 'new', 'B', '2', 'C', '3', 'd', '4']);
    const empty: string[] = [];
    setHeader(empty, 'a', '1');
    expect(empty).toEqual(['a', '1']);
  });

  it('adds a line, keeping existing ones', () => {
    const list = ['Vary', 'Accept'];
    addHeader(list, 'vary', 'Origin');
    expect(list).toEqual(['Vary', 'Accept', 'vary', 'Origin']);
  });

  it('removes every line of a name, keeping the order of the rest', () => {
    const list = ['X', '1', 'A', '1', 'x', '2', 'B', '2', 'X', '3'];
    expect(removeHeader(list, 'x')).toBe(3);
    expect(list).toEqual(['A', '1', 'B', '2']);
    expect(removeHeader(list, 'absent')).toBe(0);
    expect(list).toEqual(['A', '1', 'B', '2']);
  });

  it('adds response headers, creating the list on first use', () => {
    const req = new TestRequest();
    expect(req.responseHeaders).toBeNull();
    addResponseHeader(req, 'a', '1');
    addResponseHeader(req, 'b', '2');
    expect(req.responseHeaders).toEqual(['a', '1', 'b', '2']);
  });
});
