// Tells a canvas painter the canvas's CSS size and device pixel ratio, now and on every
// change: observing the device-pixel box also reports a zoom or a move to a screen with
// another pixel ratio. The observer ends with the component.
import { useEffect, type RefObject } from 'react';

export function useCanvasSize(ref: RefObject<HTMLCanvasElement | null>, onSize: (cssWidth: number, cssHeight: number, dpr: number) => void): void {
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const observer = new ResizeObserver((entries) => {
      const e = entries[entries.length - 1]!;
      const w = e.contentRect.width;
      const device = e.devicePixelContentBoxSize?.[0]?.inlineSize;
      onSize(w, e.contentRect.height, device && w > 0 ? device / w : window.devicePixelRatio);
    });
    try {
      observer.observe(canvas, { box: 'device-pixel-content-box' });
    } catch {
      observer.observe(canvas);
    }
    return () => observer.disconnect();
  }, [ref, onSize]);
}
