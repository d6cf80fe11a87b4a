import QRCode from 'qrcode';
import { useEffect, useRef } from 'react';

/**
 * A QR code drawn in the browser on a canvas: the secret never leaves the page for an image
 * service, and a canvas needs no `data:` or inline content that the CSP would have to allow.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) {
      // White margin and dark modules whatever the colour scheme: scanners need the contrast.
      void QRCode.toCanvas(canvas.current, value, { width: 220, margin: 2 });
    }
  }, [value]);
  return <canvas ref={canvas} role="img" aria-label={label} width={220} height={220} />;
}
