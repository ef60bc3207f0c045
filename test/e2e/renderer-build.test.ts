/**
 * The built renderer carries nothing the app's CSP refuses: no inline script, no inline style,
 * no style attribute, and no module-preload polyfill (Vite inlines it unless told not to). Its
 * behaviour under the CSP in a real browser is the journey's business.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildRenderer } from './harness/build-renderer.js';

describe('the built renderer', () => {
  const temp = makeTempDir('sportello-renderer-build-');
  let html = '';
  let scripts: string[] = [];
  beforeAll(async () => {
    await buildRenderer(temp.dir);
    html = fs.readFileSync(path.join(temp.dir, 'index.html'), 'utf8');
    const assets = path.join(temp.dir, 'assets');
    scripts = fs
      .readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => fs.readFileSync(path.join(assets, name), 'utf8'));
  }, 60_000);
  afterAll(() => temp.remove());

  it('loads its script and stylesheet as files, with relative URLs', () => {
    const scriptTags = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scriptTags.length).toBe(1);
    expect(scriptTags[0]?.[1]).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
    expect(scriptTags[0]?.[2]?.trim()).toBe('');
    expect(html).toMatch(/<link rel="stylesheet"[^>]*href="\.\/assets\/[^"]+\.css"/);
  });

  it('has no inline style and no event-handler attribute', () => {
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  it('has no module-preload polyfill, eval or Function constructor in its script', () => {
    expect(scripts.length).toBe(1);
    for (const script of scripts) {
      expect(script).not.toContain('relList');
      expect(script).not.toMatch(/\beval\(/);
      expect(script).not.toMatch(/new Function\(/);
    }
  });
});
