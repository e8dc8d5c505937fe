import { describe, expect, it } from 'vitest';

import { parseRoute, routeHash, type Route } from './route.js';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'fleet' }],
    ['#', { page: 'fleet' }],
    ['#/', { page: 'fleet' }],
    ['#/printers', { page: 'fleet' }],
    ['#/discovery', { page: 'discovery' }],
    ['#/settings', { page: 'settings' }],
    ['#/printers/p1', { page: 'detail', printerId: 'p1' }],
    ['#/printers/a%2Fb%20c', { page: 'detail', printerId: 'a/b c' }],
    ['#/printers/', { page: 'fleet' }],
    ['#/printers/a/b', { page: 'fleet' }],
    ['#/printers/%E0%A4%A', { page: 'fleet' }],
    ['#/unknown', { page: 'fleet' }],
  ] satisfies [string, Route][])('parses %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
});

describe('routeHash', () => {
  it.each([
    [{ page: 'fleet' }, '#/printers'],
    [{ page: 'discovery' }, '#/discovery'],
    [{ page: 'settings' }, '#/settings'],
    [{ page: 'detail', printerId: 'a/b c' }, '#/printers/a%2Fb%20c'],
  ] satisfies [Route, string][])('formats %j', (route, hash) => {
    expect(routeHash(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
  });
});
