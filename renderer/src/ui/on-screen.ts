// Whether a panel is on screen: its page is visible (not a hidden tab or a minimised
// window) and its element intersects the viewport (dockview hides a panel behind
// another tab with display:none, which intersects nothing). Mounted is not on screen:
// a panel that is mounted but not seen must not make the host send, or the renderer
// measure, anything for it.
/** The two facts combined; `changed` is called only when their conjunction flips. */
export class OnScreen {
  private documentVisible: boolean;
  private intersecting = false;

  constructor(
    documentVisible: boolean,
    private readonly changed: (onScreen: boolean) => void,
  ) {
    this.documentVisible = documentVisible;
  }

  get value(): boolean {
    return this.documentVisible && this.intersecting;
  }

  setDocumentVisible(visible: boolean): void {
    this.update(() => (this.documentVisible = visible));
  }

  setIntersecting(intersecting: boolean): void {
    this.update(() => (this.intersecting = intersecting));
  }

  private update(apply: () => void): void {
    const before = this.value;
    apply();
    if (this.value !== before) this.changed(this.value);
  }
}
