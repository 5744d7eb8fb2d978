// Server-sent events from a byte stream. Network chunks split anywhere, also inside a
// multi-byte UTF-8 character (a run name, an error text): one streaming TextDecoder keeps the
// partial bytes until the rest arrives, so no character becomes U+FFFD.
// (eventsource-parser would do this; it is not among our dependencies yet.)

/** The `data` of each event (its data lines joined with "\n"); comments and empty events are skipped. */
export async function* sseData(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* takeEvents();
  }
  buffer += decoder.decode();
  yield* takeEvents();

  function* takeEvents(): Generator<string> {
    // CRLF and CR end lines too; a CR last in the buffer waits: its LF may be in the next chunk.
    buffer = buffer.replace(/\r\n|\r(?!$)/g, '\n');
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
    }
  }
}
