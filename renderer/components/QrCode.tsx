/**
 * A QR code drawn as SVG from the `qrcode` library's module matrix: no canvas, no data: URL,
 * nothing the CSP has to allow beyond the page's own script.
 */
import { useMemo } from 'react';
import QRCode from 'qrcode';

const QUIET_ZONE = 4;

function modulePath(text: string): { path: string; size: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (modules.get(row, column)) parts.push(`M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { path: parts.join(''), size: modules.size + QUIET_ZONE * 2 };
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const { path, size } = useMemo(() => modulePath(text), [text]);
  return (
    <svg className="qr-code" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={size} height={size} className="qr-background" />
      <path d={path} className="qr-modules" />
    </svg>
  );
}
