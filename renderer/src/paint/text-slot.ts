// A painted element's text, written through one Text node kept for it. Assigning an
// element's textContent replaces its child node: Chromium then drops the old layout
// object, creates one for the new node, resolves its style and lays its parent out
// (measured: ~18k removals and insertions in 30 s of the screen stage). Setting a
// Text node's data only marks that text changed. Typed structurally: unit tests run
// without a DOM.

/** What the painters write text into: a DOM Text node is one. */
export interface TextTarget {
  textContent: string | null;
}

/** The part of an element a text slot needs (an HTMLElement is one). */
export interface TextHost {
  readonly ownerDocument: { createTextNode(data: string): TextTarget };
  /** The DOM's takes (Node | string)[]: it is given the node ownerDocument made. */
  replaceChildren(...nodes: never[]): void;
}

/** Empties `el` and gives it one Text node, returned for the painters to write. */
export function textSlot(el: TextHost): TextTarget {
  const node = el.ownerDocument.createTextNode('');
  (el.replaceChildren as (this: TextHost, node: TextTarget) => void).call(el, node);
  return node;
}

/** An element whose text goes through its own Text node and whose attributes go to the element. */
export class SlottedCell {
  private readonly text: TextTarget;

  constructor(private readonly el: TextHost & { setAttribute(name: string, value: string): void }) {
    this.text = textSlot(el);
  }

  get textContent(): string | null {
    return this.text.textContent;
  }

  set textContent(v: string | null) {
    this.text.textContent = v ?? '';
  }

  setAttribute(name: string, value: string): void {
    this.el.setAttribute(name, value);
  }
}
