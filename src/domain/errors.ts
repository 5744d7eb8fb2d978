// The one error catalogue: every error loadctl raises on purpose has a stable code, the HTTP
// status it maps to, and the CLI exit code category. Messages are written for the person
// who has to act on them. docs/ERRORS.md documents each code (a test checks it).

export type ExitCategory = 'usage' | 'run' | 'internal';

interface ErrorSpec {
  status: number;
  exit: ExitCategory;
  summary: string;
}

export const ERROR_CATALOGUE = {
  LOADCTL_BAD_REQUEST: { status: 400, exit: 'usage', summary: 'A request field is missing or invalid.' },
  LOADCTL_BODY_TOO_LARGE: { status: 413, exit: 'usage', summary: 'The request body is over the size limit.' },
  LOADCTL_UNAUTHORIZED: { status: 401, exit: 'usage', summary: 'No or wrong credentials were presented.' },
  LOADCTL_FORBIDDEN: { status: 403, exit: 'usage', summary: 'The credentials are valid but not for this resource.' },
  LOADCTL_HOST_NOT_ALLOWED: { status: 421, exit: 'usage', summary: 'A control plane without an API token was addressed by a name that is not loopback or allowed.' },
  LOADCTL_ORIGIN_NOT_ALLOWED: { status: 403, exit: 'usage', summary: 'A state-changing request came from a web page of another origin.' },
  LOADCTL_CSRF_TOKEN_INVALID: { status: 403, exit: 'usage', summary: 'A state-changing request authenticated by the console session cookie lacked its CSRF token.' },
  LOADCTL_NOT_FOUND: { status: 404, exit: 'usage', summary: 'No route matches the request.' },
  LOADCTL_TEST_NOT_FOUND: { status: 404, exit: 'usage', summary: 'No load test has that id.' },
  LOADCTL_RUN_NOT_FOUND: { status: 404, exit: 'usage', summary: 'No run has that id.' },
  LOADCTL_REVISION_NOT_FOUND: { status: 404, exit: 'usage', summary: 'No script revision has that id for this test.' },
  LOADCTL_TEST_NAME_TAKEN: { status: 409, exit: 'usage', summary: 'Another load test already has that name.' },
  LOADCTL_RUN_CONFLICT: { status: 409, exit: 'usage', summary: 'The run is not in a state that allows this.' },
  LOADCTL_SCRIPT_INVALID: { status: 400, exit: 'usage', summary: 'The script is empty, not UTF-8, not base64, or too large.' },
  LOADCTL_BUNDLE_INVALID: { status: 400, exit: 'usage', summary: 'A bundle archive is malformed or holds a path, link or duplicate that is not allowed.' },
  LOADCTL_BUNDLE_TOO_LARGE: { status: 413, exit: 'usage', summary: 'A bundle holds more files or bytes than the limits allow.' },
  LOADCTL_SCRIPT_SYNTAX: { status: 400, exit: 'usage', summary: 'The script is not valid Python.' },
  LOADCTL_CONFIG_INVALID: { status: 400, exit: 'usage', summary: 'The configuration file or a flag has a bad value.' },
  LOADCTL_CONFIG_MISSING: { status: 400, exit: 'usage', summary: 'A required setting (script, host, …) was not given.' },
  LOADCTL_PYTHON_MISSING: { status: 500, exit: 'run', summary: 'No usable Python 3 was found.' },
  LOADCTL_LOCUST_MISSING: { status: 500, exit: 'run', summary: 'Locust is not installed where loadctl looked.' },
  LOADCTL_SETUP_FAILED: { status: 500, exit: 'run', summary: 'Creating the Locust environment failed.' },
  LOADCTL_REQUIREMENTS_INVALID: { status: 400, exit: 'usage', summary: 'The Python requirements of a run (--requirements, requirements:) cannot be used as given.' },
  LOADCTL_REQUIREMENTS_FAILED: { status: 500, exit: 'run', summary: 'Installing the Python requirements of a run failed, or they would change Locust.' },
  LOADCTL_LOCUST_START_FAILED: { status: 502, exit: 'run', summary: 'Locust did not start or did not accept the run.' },
  LOADCTL_STORE_UNAVAILABLE: { status: 503, exit: 'run', summary: 'The store (MongoDB or the embedded file) cannot be reached.' },
  LOADCTL_SERVER_UNREACHABLE: { status: 502, exit: 'run', summary: 'The loadctl control plane given by --server cannot be reached.' },
  LOADCTL_RUN_FAILED: { status: 500, exit: 'run', summary: 'The run ended Failed.' },
  LOADCTL_THRESHOLD_INVALID: { status: 400, exit: 'usage', summary: 'A threshold cannot be parsed or names an endpoint the script never requests.' },
  LOADCTL_REPORT_PATH_INVALID: { status: 400, exit: 'usage', summary: 'A report path (--json, --junit, --html) cannot be written to; found before the run.' },
  LOADCTL_REPORT_WRITE_FAILED: { status: 500, exit: 'run', summary: 'A report file (--json, --junit, --html) could not be written.' },
  LOADCTL_INTERNAL: { status: 500, exit: 'internal', summary: 'A bug in loadctl.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class LoadctlError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable detail, e.g. { field: "durationSeconds" } or { line: 3 }. */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LoadctlError';
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get exitCategory(): ExitCategory {
    return ERROR_CATALOGUE[this.code].exit;
  }
}

export function isLoadctlError(error: unknown): error is LoadctlError {
  return error instanceof LoadctlError;
}
