// Which "METHOD name" entries a Locust script will report, read statically from its
// `self.client.<method>(…)` calls. Best effort: any call whose name is decided at run time
// makes the answer "cannot tell" (null), never a guess, because a wrong list would reject
// a correct threshold before the run starts.

const CLIENT_CALL = /\bclient\s*\.\s*(get|post|put|patch|delete|head|options|request)\s*\(/g;
// Ways to name requests that a call-by-call reading cannot follow.
const UNREADABLE = [/\brename_request\s*\(/, /\brequest(?:_event)?\s*\.\s*fire\s*\(/, /^\s*(?!client\b)\w+\s*=\s*self\.(?:user\.)?client\s*(?:#.*)?$/m];
const STRING_LITERAL = /^(?<prefix>[rRuU]|[bB][rR]?|[rR][bB])?(?<quote>"|')(?<body>(?:\\.|(?!\k<quote>).)*)\k<quote>$/su;

export function endpointsFromScript(scriptText: string): string[] | null {
  if (UNREADABLE.some((pattern) => pattern.test(scriptText))) return null;
  const endpoints = new Set<string>();
  for (const call of scriptText.matchAll(CLIENT_CALL)) {
    const args = argumentsAt(scriptText, call.index + call[0].length);
    const endpoint = args && endpointOf(call[1]!, args);
    if (!endpoint) return null;
    endpoints.add(endpoint);
  }
  // No client call at all: a custom User class reports its own names.
  if (endpoints.size === 0) return null;
  return [...endpoints].sort();
}

interface CallArguments {
  positional: string[];
  keywords: Map<string, string>;
  /** `*args` or `**kwargs`: any argument, the name included, could hide in there. */
  spread: boolean;
}

function endpointOf(method: string, args: CallArguments): string | null {
  if (args.spread) return null;
  const isRequest = method === 'request';
  const methodText = isRequest ? literalOf(args.keywords.get('method') ?? args.positional[0]) : method.toUpperCase();
  const url = args.keywords.get('url') ?? args.positional[isRequest ? 1 : 0];
  const nameArg = args.keywords.get('name') ?? (isRequest ? args.positional[2] : undefined);
  if (methodText === null) return null;
  if (nameArg !== undefined && nameArg !== 'None') {
    const name = literalOf(nameArg);
    return name === null ? null : `${methodText} ${name}`;
  }
  // Without a name Locust reports the URL's path and query, so `params=` changes it per call.
  if (args.keywords.has('params')) return null;
  const path = pathOf(literalOf(url));
  return path === null ? null : `${methodText} ${path}`;
}

function pathOf(url: string | null): string | null {
  if (url === null) return null;
  const absolute = /^https?:\/\/[^/?#]*(.*)$/i.exec(url);
  const path = (absolute ? absolute[1] || '/' : url).replace(/#.*$/s, '');
  return path.startsWith('/') ? path : null;
}

/** The value of a plain (not f-) string literal, or null for anything computed. */
function literalOf(expression: string | undefined): string | null {
  const match = expression === undefined ? null : STRING_LITERAL.exec(expression.trim());
  if (!match?.groups) return null;
  const raw = /r/i.test(match.groups.prefix ?? '');
  return raw ? match.groups.body! : match.groups.body!.replace(/\\(.)/gs, '$1');
}

/** Splits the arguments of the call whose "(" ends just before `start`; null if it never closes. */
function argumentsAt(source: string, start: number): CallArguments | null {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (let i = start; i < source.length; i += 1) {
    const char = source[i]!;
    if (quote) {
      current += char;
      if (char === '\\') current += source[++i] ?? '';
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if ('([{'.includes(char)) depth += 1;
    else if (')]}'.includes(char)) {
      if (depth === 0) return classify([...parts, current]);
      depth -= 1;
    } else if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  return null;
}

function classify(parts: string[]): CallArguments {
  const args: CallArguments = { positional: [], keywords: new Map(), spread: false };
  for (const part of parts.map((text) => text.trim()).filter(Boolean)) {
    const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/s.exec(part);
    if (part.startsWith('*')) args.spread = true;
    else if (keyword) args.keywords.set(keyword[1]!, keyword[2]!);
    else args.positional.push(part);
  }
  return args;
}
