// Putting text, data and scripts into one HTML file without any of them breaking out.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}

/** JSON for a <script type="application/json"> block: "<" escaped so no "</script>" inside data ends it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's source for an inline <script>: a literal "</script" in it would end the element early. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** Same for an inline <style>. */
export function inlineStyle(source: string): string {
  return source.replace(/<\/(style)/gi, '<\\/$1');
}

/** "2026-11-28 10:00:05 UTC": the same on every machine, unlike local time. */
export function formatUtc(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '–';
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
