/**
 * A small router over the History API: the app has a dozen flat pages, which does not justify
 * another dependency. Paths are written without the /admin base, which `navigate` and `Link` add.
 */
import { Anchor, type AnchorProps } from '@mantine/core';
import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

export const BASE = '/admin';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current location, relative to the app's base: `{ path: '/accounts', search }`. */
export interface Location {
  path: string;
  search: URLSearchParams;
}

let cachedHref = '';
let cached: Location = { path: '/', search: new URLSearchParams() };

function snapshot(): Location {
  if (window.location.href !== cachedHref) {
    cachedHref = window.location.href;
    const path = window.location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/';
    cached = { path, search: new URLSearchParams(window.location.search) };
  }
  return cached;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

/** Goes to an app path such as `/sign-in?reason=expired`. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${to === '/' ? '' : to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

/** Matches `/accounts/:id` style patterns; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = got[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

/** An in-app link: a real <a href> (so it opens in a new tab too) that navigates in place. */
export function Link(props: AnchorProps & { to: string; children: ReactNode }) {
  const { to, children, ...rest } = props;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <Anchor href={`${BASE}${to === '/' ? '' : to}`} onClick={onClick} {...rest}>
      {children}
    </Anchor>
  );
}
