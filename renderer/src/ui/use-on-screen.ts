// The DOM side of OnScreen: the page's visibility events and an IntersectionObserver
// on the panel's element, as a React hook.
import { useEffect, useState, type RefObject } from 'react';
import { OnScreen } from './on-screen';

/** Watches `el` until the returned function is called. */
export function watchOnScreen(el: Element, changed: (onScreen: boolean) => void): () => void {
  const state = new OnScreen(document.visibilityState === 'visible', changed);
  const onVisibility = () => state.setDocumentVisible(document.visibilityState === 'visible');
  document.addEventListener('visibilitychange', onVisibility);
  const observer = new IntersectionObserver((entries) => {
    const last = entries[entries.length - 1];
    if (last) state.setIntersecting(last.isIntersecting);
  });
  observer.observe(el);
  return () => {
    observer.disconnect();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Whether the element behind `ref` is on screen; false while `active` is false (nothing rendered). */
export function useOnScreen(ref: RefObject<Element | null>, active: boolean): boolean {
  const [onScreen, setOnScreen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!active || !el) return;
    const stop = watchOnScreen(el, setOnScreen);
    return () => {
      stop();
      setOnScreen(false);
    };
  }, [ref, active]);
  return onScreen;
}
