import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { CONTENT_SECURITY_POLICY, contentTypeOf, resolveAppAsset } from './app-protocol.js';

const root = join('/opt', 'owl', 'renderer');

describe('resolveAppAsset', () => {
  it('maps a page file under the root', () => {
    expect(resolveAppAsset(root, 'app://owl/assets/index-1.js')).toBe(
      join(root, 'assets', 'index-1.js'),
    );
  });

  it('serves index.html for the root path', () => {
    expect(resolveAppAsset(root, 'app://owl/')).toBe(join(root, 'index.html'));
  });

  it('keeps dot segments inside the root', () => {
    expect(resolveAppAsset(root, 'app://owl/%2e%2e/%2e%2e/etc/passwd')).toBe(
      join(root, 'etc', 'passwd'),
    );
  });

  it('rejects encoded slashes that leave the root', () => {
    expect(resolveAppAsset(root, 'app://owl/..%2f..%2fsecret')).toBeUndefined();
  });

  it('rejects another host or scheme', () => {
    expect(resolveAppAsset(root, 'app://evil/index.html')).toBeUndefined();
    expect(resolveAppAsset(root, 'file:///opt/owl/renderer/index.html')).toBeUndefined();
  });
});

describe('contentTypeOf', () => {
  it('names scripts and unknown files', () => {
    expect(contentTypeOf('a/index.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a/blob.bin')).toBe('application/octet-stream');
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('forbids remote and inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
  });
});
