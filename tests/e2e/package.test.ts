import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_EXTENSION } from './helpers/browser';

const manifest = JSON.parse(readFileSync(join(BUILT_EXTENSION, 'manifest.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the built Chrome package', () => {
  it('asks only for the permissions it uses', () => {
    expect([...manifest.permissions].sort()).toEqual([
      'contextMenus',
      'declarativeNetRequestWithHostAccess',
      'downloads',
      'offscreen',
      'storage',
      'unlimitedStorage',
    ]);
    expect(manifest.host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(manifest.web_accessible_resources).toEqual([{ resources: ['bridge.html'], matches: ['<all_urls>'] }]);
  });

  it('allows wasm but no eval in extension pages', () => {
    const csp: string = manifest.content_security_policy.extension_pages;
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'|https?:/);
  });

  it('ships ffmpeg.wasm inside the package and loads no script from the network', () => {
    expect(existsSync(join(BUILT_EXTENSION, 'ffmpeg', 'ffmpeg-core.wasm'))).toBe(true);
    expect(existsSync(join(BUILT_EXTENSION, 'ffmpeg', 'ffmpeg-core.js'))).toBe(true);
    const scripts = filesUnder(BUILT_EXTENSION).filter((path) => /\.(js|html)$/.test(path));
    for (const script of scripts) expect(readFileSync(script, 'utf8'), script).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });
});
