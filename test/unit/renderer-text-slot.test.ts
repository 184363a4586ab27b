import { describe, expect, it } from 'vitest';
import { SlottedCell, textSlot, type TextHost, type TextTarget } from '../../renderer/src/paint/text-slot';

/** A stand-in element: its child list and attributes, and every node created for it. */
class FakeEl implements TextHost {
  children: TextTarget[] = [{ textContent: 'left by React' }];
  attributes = new Map<string, string>();
  created: TextTarget[] = [];
  readonly ownerDocument = {
    createTextNode: (data: string): TextTarget => {
      const node = { textContent: data };
      this.created.push(node);
      return node;
    },
  };
  replaceChildren(...nodes: never[]): void {
    this.children = nodes;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
}

describe('textSlot', () => {
  it('gives the element one Text node of its own and returns it', () => {
    const el = new FakeEl();
    const slot = textSlot(el);
    expect(el.children).toEqual([slot]);
    expect(el.created).toEqual([slot]);
    expect(slot.textContent).toBe('');
  });
});

describe('SlottedCell', () => {
  it('writes every text into the same Text node, never a new child, and attributes onto the element', () => {
    const el = new FakeEl();
    const cell = new SlottedCell(el);
    const node = el.children[0]!;
    cell.textContent = '97,001.50';
    cell.textContent = '97,002.00';
    cell.setAttribute('data-flash', 'up');
    expect(el.children).toEqual([node]);
    expect(el.created).toHaveLength(1);
    expect(node.textContent).toBe('97,002.00');
    expect(cell.textContent).toBe('97,002.00');
    expect(el.attributes.get('data-flash')).toBe('up');
    cell.textContent = null;
    expect(node.textContent).toBe('');
    expect(el.children).toEqual([node]);
  });
});
