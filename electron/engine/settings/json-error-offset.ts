// Where JSON text first stops being JSON. V8 (Node 20) names the position for some
// syntax errors but not others ("Unexpected token '}', ... is not valid JSON",
// "Unexpected end of JSON input"); this small scanner finds it for all, so every
// error in a settings file can say its line and column. Only used on the error path.

/** Offset of the first JSON syntax error in `text`, or undefined if it is valid (or too deep to scan). */
export function jsonErrorOffset(text: string): number | undefined {
  try {
    new JsonScanner(text).document();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    return undefined; // RangeError: nested deeper than the stack; no position then
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.space();
    if (this.i < this.text.length) throw new SyntaxAt(this.i);
  }

  private space(): void {
    const t = this.text;
    while (this.i < t.length && (t[this.i] === ' ' || t[this.i] === '\t' || t[this.i] === '\n' || t[this.i] === '\r')) this.i++;
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true');
    if (c === 'f') return this.literal('false');
    if (c === 'n') return this.literal('null');
    this.number();
  }

  /** Fails where V8 does: at the first character that cannot continue the number. */
  private number(): void {
    const t = this.text;
    if (t[this.i] === '-') this.i++;
    if (t[this.i] === '0') this.i++;
    else if (isDigit(t[this.i])) while (isDigit(t[this.i])) this.i++;
    else throw new SyntaxAt(this.i);
    if (t[this.i] === '.') {
      this.i++;
      if (!isDigit(t[this.i])) throw new SyntaxAt(this.i);
      while (isDigit(t[this.i])) this.i++;
    }
    if (t[this.i] === 'e' || t[this.i] === 'E') {
      this.i++;
      if (t[this.i] === '+' || t[this.i] === '-') this.i++;
      if (!isDigit(t[this.i])) throw new SyntaxAt(this.i);
      while (isDigit(t[this.i])) this.i++;
    }
  }

  private object(): void {
    this.list('}', () => {
      this.space();
      if (this.text[this.i] !== '"') throw new SyntaxAt(this.i);
      this.string();
      this.space();
      if (this.text[this.i] !== ':') throw new SyntaxAt(this.i);
      this.i++;
      this.value();
    });
  }

  private array(): void {
    this.list(']', () => this.value());
  }

  /** An object's or array's items, comma-separated, up to `close` (may be empty). */
  private list(close: '}' | ']', item: () => void): void {
    this.i++;
    this.space();
    if (this.text[this.i] === close) return void this.i++;
    for (;;) {
      item();
      this.space();
      const c = this.text[this.i++];
      if (c === close) return;
      if (c !== ',') throw new SyntaxAt(this.i - 1);
    }
  }

  private string(): void {
    const t = this.text;
    this.i++;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (c === '"') return void this.i++;
      if (c === '\\') {
        const e = t[this.i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!isHex(t[this.i + k])) throw new SyntaxAt(this.i + k);
          this.i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) throw new SyntaxAt(this.i + 1);
        this.i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new SyntaxAt(this.i);
      this.i++;
    }
    throw new SyntaxAt(t.length);
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) if (this.text[this.i + k] !== word[k]) throw new SyntaxAt(this.i + k);
    this.i += word.length;
  }
}
