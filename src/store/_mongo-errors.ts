// Turning driver errors into messages a person can act on, without ever showing the
// password that may be part of the URI.
import {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { LoadctlError } from '../domain/errors.js';

const URI_HELP = 'Check that the server is running and the URI (--mongo-uri / LOADCTL_MONGODB_URI / mongodb.uri) is right.';

interface UriParts {
  hosts: string;
  password: string | undefined;
}

/** Host list and password of a MongoDB URI, read without the driver so a malformed one is still described. */
export function parseUriParts(uri: string): UriParts {
  const schemeEnd = uri.indexOf('://');
  const rest = schemeEnd >= 0 ? uri.slice(schemeEnd + 3) : uri;
  const queryStart = rest.includes('?') ? rest.indexOf('?') : rest.length;
  const at = rest.lastIndexOf('@', queryStart);
  const userInfo = at >= 0 ? rest.slice(0, at) : '';
  const afterUser = rest.slice(at + 1);
  const hostList = afterUser.split(/[/?]/, 1)[0] ?? '';
  const srv = uri.startsWith('mongodb+srv://');
  const hosts = hostList
    .split(',')
    .filter(Boolean)
    .map((host) => (srv || /:\d+$/.test(host) ? host : `${host}:27017`))
    .join(',');
  const colon = userInfo.indexOf(':');
  return { hosts: hosts || 'the configured address', password: colon >= 0 ? userInfo.slice(colon + 1) : undefined };
}

/** The text with the URI's password (raw or percent-decoded) and any user:password@ replaced. */
export function redactSecrets(text: string, uri: string): string {
  let redacted = text.replace(/(mongodb(?:\+srv)?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  const { password } = parseUriParts(uri);
  if (password) {
    for (const secret of new Set([password, safeDecode(password)])) {
      if (secret) redacted = redacted.split(secret).join('***');
    }
  }
  return redacted;
}

export function isConnectionError(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoClientClosedError
  );
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** The one error `init()` raises when the first connection fails. */
export function createConnectError(uri: string, error: unknown): LoadctlError {
  const { hosts } = parseUriParts(uri);
  return new LoadctlError(
    'LOADCTL_STORE_UNAVAILABLE',
    `Cannot connect to MongoDB at ${hosts}: ${describeCause(error, uri)}. ${URI_HELP}`,
    { cause: error },
  );
}

/** What an operation raises when the server went away after start-up. */
export function createUnavailableError(uri: string, error: unknown): LoadctlError {
  const { hosts } = parseUriParts(uri);
  return new LoadctlError(
    'LOADCTL_STORE_UNAVAILABLE',
    `MongoDB at ${hosts} is not reachable: ${describeCause(error, uri)}. ${URI_HELP}`,
    { cause: error },
  );
}

export function describeCause(error: unknown, uri: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message, uri).trim().replace(/\.$/, '') || 'unknown error';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
