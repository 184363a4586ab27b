import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP_HEADER, CSP_META } from '../../shared/content-security-policy';

const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');

describe('Content-Security-Policy', () => {
  it('renderer/index.html carries exactly CSP_META in its one CSP meta tag', () => {
    const tags = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/g)];
    expect(tags.map((m) => m[1])).toEqual([CSP_META]);
  });

  it('the header is the meta policy plus frame-ancestors, which only a header can carry', () => {
    expect(CSP_HEADER).toBe(`${CSP_META}; frame-ancestors 'none'`);
    expect(CSP_META).not.toContain('frame-ancestors');
    expect(CSP_HEADER).toContain("script-src 'self'");
    expect(CSP_HEADER).not.toContain('unsafe-inline');
  });
});
