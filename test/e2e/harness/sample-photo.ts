/**
 * A customer's photo with real pixels, drawn by Chromium itself: a parcel on a table, as a PNG.
 * The sandbox's own sample image is one pixel, which a screenshot would not show.
 */
import type { Browser } from 'playwright-core';

const SCENE = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320" viewBox="0 0 480 320">
  <defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d9e4ec"/><stop offset="1" stop-color="#b9c9d6"/></linearGradient></defs>
  <rect width="480" height="320" fill="url(#wall)"/>
  <rect y="230" width="480" height="90" fill="#a07850"/>
  <polygon points="150,120 330,120 360,150 180,150" fill="#d8b07a"/>
  <rect x="180" y="150" width="180" height="110" fill="#c79a5f"/>
  <polygon points="150,120 180,150 180,260 150,230" fill="#b4864f"/>
  <rect x="255" y="150" width="22" height="110" fill="#e9d9b9"/>
  <rect x="200" y="175" width="70" height="40" fill="#fff" opacity="0.9"/>
  <text x="206" y="200" font-family="DejaVu Sans" font-size="14" fill="#333">#1042</text>
</svg>`;

export async function samplePhoto(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 480, height: 320 } });
  try {
    await page.setContent(`<body style="margin:0">${SCENE}</body>`);
    return await page.screenshot({ type: 'png' });
  } finally {
    await page.close();
  }
}
