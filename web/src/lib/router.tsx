/**
 * A tiny history-API router: three views do not need a routing library. A
 * view's options (filter, sort, ...) live in the query string, so a reload, a
 * bookmark or a shared link opens the same view.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';

const BASE = '/ui';
const listeners = new Set<() => void>();
/** Each view's query string as it last wrote it, so the nav can bring the view back as it was left. */
const lastSearch = new Map<string, string>();

/** The path below /ui, e.g. "/" or "/hosts/gpu-01". */
export function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return p === '' ? '/' : p;
}

export function navigate(path: string): void {
  history.pushState(null, '', BASE + path);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

/** The current URL's query parameters, which a view reads its options from when it opens. */
export function currentParams(): URLSearchParams {
  return new URLSearchParams(location.search);
}

/**
 * Writes a view's options into the query string: an empty value removes its
 * parameter, others (such as perf=1) stay. It replaces the history entry
 * rather than adding one per keystroke, and re-renders nothing: the view
 * already shows what it writes.
 */
export function replaceParams(params: Record<string, string>): void {
  const next = currentParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === '') next.delete(name);
    else next.set(name, value);
  }
  const search = next.toString();
  lastSearch.set(currentPath(), search ? `?${search}` : '');
  const url = `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
}

/** Keeps `params` in the query string while the calling view shows them. */
export function useParamsInUrl(params: Record<string, string>): void {
  const key = JSON.stringify(params);
  // A layout effect: the URL changes with the render, not a frame later, so a reload right after a change keeps it.
  useLayoutEffect(() => replaceParams(params), [key]);
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}

/** The link for a host page; aliases are URL-encoded. */
export function hostPath(alias: string): string {
  return `/hosts/${encodeURIComponent(alias)}`;
}

/**
 * A real link (keyboard, middle-click, copy) that navigates without a reload.
 * With `keepOptions`, it opens the view with the options it had when last
 * left in this tab (the nav's links: a filter survives a look at another view).
 */
export function Link(props: {
  to: string;
  children: ComponentChildren;
  class?: string;
  title?: string;
  keepOptions?: boolean;
  'aria-current'?: 'page';
}) {
  const { to, children, keepOptions, ...rest } = props;
  const target = () => (keepOptions ? to + (lastSearch.get(to) ?? '') : to);
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(target());
  };
  return (
    <a {...rest} href={BASE + target()} onClick={onClick}>
      {children}
    </a>
  );
}
