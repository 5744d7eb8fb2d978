// The console: one page, views chosen by the URL's #fragment (#/runs, #/runs/ID, #/tests,
// #/tests/ID, #/compare, #/login). Each view returns a cleanup that closes its streams.
import { readSession, setUnauthorizedHandler } from './api.js';
import { h, notice, replaceChildren } from './dom.js';
import { comparePage } from './pages/compare.js';
import { loginPage } from './pages/login.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';
import { testPage } from './pages/test.js';
import { testsPage } from './pages/tests.js';
import './styles.css';

export type Cleanup = () => void;
export interface Route {
  path: string[];
  params: URLSearchParams;
}
export type View = (main: HTMLElement, route: Route) => Promise<Cleanup | void>;

let cleanup: Cleanup | undefined;

function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = hash.split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

function viewOf(route: Route): { view: View; title: string; section: string } {
  const [section = 'runs', id] = route.path;
  if (section === 'login') return { view: loginPage, title: 'Log in', section };
  if (section === 'tests') return id ? { view: testPage, title: 'Test', section } : { view: testsPage, title: 'Tests', section };
  if (section === 'compare') return { view: comparePage, title: 'Compare runs', section };
  return id ? { view: runPage, title: 'Run', section: 'runs' } : { view: runsPage, title: 'Runs', section: 'runs' };
}

async function show(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const main = document.getElementById('main')!;
  const route = currentRoute();
  const { view, title, section } = viewOf(route);
  document.title = `${title} · loadctl`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('header nav a:not(.brand)')) {
    if (link.getAttribute('href') === `#/${section}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replaceChildren(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    cleanup = (await view(main, route)) ?? undefined;
  } catch (error) {
    replaceChildren(main, h('h1', {}, title), notice((error as Error).message, 'error'));
  }
  // Keyboard and screen-reader users land on the new content.
  if (document.activeElement === document.body || document.activeElement?.closest('header')) main.focus({ preventScroll: true });
}

function goToLogin(): void {
  if (currentRoute().path[0] === 'login') return;
  const next = location.hash || '#/runs';
  location.hash = `#/login?next=${encodeURIComponent(next)}`;
}

async function start(): Promise<void> {
  setUnauthorizedHandler(goToLogin);
  const session = await readSession();
  document.body.classList.toggle('auth-required', session.authRequired);
  window.addEventListener('hashchange', () => void show());
  if (session.authRequired && !session.authenticated && currentRoute().path[0] !== 'login') {
    goToLogin(); // its hashchange shows the login page
    return;
  }
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/runs');
  await show();
}

void start();
