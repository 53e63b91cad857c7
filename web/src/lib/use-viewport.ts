/**
 * The part of an element that is on screen (page scrolling), widened by a
 * margin so that rows are ready before they scroll in. The answer moves in
 * steps, so a scroll re-renders only every STEP pixels. Layout is read only in
 * an animation frame after a scroll or resize, never in a render or a live
 * update.
 */
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Rendered beyond each edge of the screen, px. */
const MARGIN = 600;
/** The window moves in steps of this many px. */
const STEP = 200;

/** A span in px from the element's top. */
export interface Span {
  from: number;
  to: number;
}

function span(visibleFrom: number, height: number, margin: number): Span {
  return {
    from: Math.floor(visibleFrom / STEP) * STEP - margin,
    to: Math.ceil((visibleFrom + height) / STEP) * STEP + margin,
  };
}

/**
 * Before the first measurement the element is assumed to start at the top of
 * the page: it starts lower, so this covers at least what is on screen. At
 * the top of the page the margin is left out until then, so the first render
 * draws only what the first paint shows; the margin follows one frame later.
 */
const guess = (): Span => span(window.scrollY, window.innerHeight, window.scrollY === 0 ? 0 : MARGIN);

export function useViewport(ref: RefObject<HTMLElement | null>): Span {
  const [view, setView] = useState<Span>(guess);
  useEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      const el = ref.current;
      if (!el) return;
      const next = span(-el.getBoundingClientRect().top, window.innerHeight, MARGIN);
      setView((v) => (v.from === next.from && v.to === next.to ? v : next));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    schedule();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
  }, []);
  return view;
}

/** Whether a media query matches, following changes (phone / desktop layout). */
export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    list.addEventListener('change', update);
    update();
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}
