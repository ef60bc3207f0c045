/** The approval page's stylesheet, read once from beside this file and served from the server itself (CSP style-src 'self'). */
import fs from 'node:fs';

export const STYLESHEET = fs.readFileSync(new URL('./approval-page.css', import.meta.url), 'utf8');
