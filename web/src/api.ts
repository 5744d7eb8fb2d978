// The console talks to the control plane's HTTP API only, same origin, with the session
// cookie the server set (never a token in a URL or in localStorage).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SessionState {
  authRequired: boolean;
  authenticated: boolean;
  csrfToken?: string;
  message?: string;
}

let csrfToken: string | undefined;
let onUnauthorized: () => void = () => {};

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function readSession(): Promise<SessionState> {
  const state = await api<SessionState>('/console/session');
  csrfToken = state.csrfToken;
  return state;
}

export async function logIn(token: string): Promise<SessionState> {
  const state = await api<SessionState>('/console/session', { method: 'POST', body: { token } });
  csrfToken = state.csrfToken;
  return state;
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && path !== '/console/session') onUnauthorized();
    throw new ApiError(response.status, error?.code ?? 'HTTP', error?.message ?? `${method} ${path} answered ${response.status}`);
  }
  return body as T;
}

/** A query string from the fields that have a value. */
export function query(fields: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
