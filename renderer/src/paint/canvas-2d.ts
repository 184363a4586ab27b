// The part of a 2D canvas context the painters use: a CanvasRenderingContext2D is one,
// and unit tests, which have no DOM, record calls through a stand-in.
export interface Canvas2D {
  font: string;
  fillStyle: unknown;
  globalAlpha: number;
  textAlign: 'left' | 'right' | 'center' | 'start' | 'end';
  textBaseline: 'top' | 'hanging' | 'middle' | 'alphabetic' | 'ideographic' | 'bottom';
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
}
