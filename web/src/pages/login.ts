import { ApiError, logIn } from '../api.js';
import { h, notice, replaceChildren } from '../dom.js';
import type { View } from '../main.js';

/** Asks for the API token once; the server answers with an HttpOnly session cookie. */
export const loginPage: View = async (main, route) => {
  const next = route.params.get('next') ?? '#/runs';
  const message = h('div', { 'aria-live': 'polite' });
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'card login', onsubmit: (event: Event) => void submit(event) },
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { class: 'hint' }, 'The token this control plane was started with (security.apiToken, --token or LOADCTL_TOKEN). It is sent once; the browser then keeps a session cookie that scripts cannot read.'),
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
    message,
  );
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    replaceChildren(message);
    try {
      const state = await logIn(input.value);
      if (!state.authenticated) throw new ApiError(401, 'LOADCTL_UNAUTHORIZED', state.message ?? 'That token is wrong.');
      input.value = '';
      location.hash = next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/runs';
    } catch (error) {
      replaceChildren(message, notice(error instanceof ApiError && error.status === 401 ? 'That token is wrong. Check it and try again.' : (error as Error).message, 'error'));
      input.select();
    }
  }
  replaceChildren(main, h('h1', {}, 'Log in to loadctl'), form);
  input.focus();
};
