import { createParser } from 'eventsource-parser';

/** What the chat stream tells us; tool calls and results are internal, so only their occurrence is kept. */
export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'tool' }
  | { type: 'heartbeat' }
  /** An error reported inside the stream; `code` is the backend's, when it gives one. */
  | { type: 'error'; code?: number };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCode(value: unknown): number | undefined {
  const code = typeof value === 'string' ? Number(value) : value;
  return typeof code === 'number' && Number.isFinite(code) ? code : undefined;
}

/** `{"type":"text","content":…}`, `{"type":"tool_call",…}`, `{"type":"heartbeat"}`, … */
function simpleEvent(payload: Json & { type: string }): ChatEvent[] {
  const type = payload.type.toLowerCase();
  if (type === 'text' || type === 'message') {
    const text = [payload.content, payload.text].find((value) => typeof value === 'string');
    return typeof text === 'string' && text !== '' ? [{ type: 'text', text }] : [{ type: 'heartbeat' }];
  }
  if (type.startsWith('tool') || type.startsWith('function')) return [{ type: 'tool' }];
  if (type === 'error') return [{ type: 'error', code: errorCode(payload.code) }];
  return [{ type: 'heartbeat' }];
}

/** Agent-framework events: `{"content":{"parts":[{"text"}|{"functionCall"}|{"functionResponse"}]}}`. */
function agentEvent(payload: Json & { content: Json }): ChatEvent[] {
  // A streamed partial is repeated in full by the final event: keeping both would say it twice.
  if (payload.partial === true) return [{ type: 'heartbeat' }];
  const fromModel = payload.content.role !== 'user';
  const parts = Array.isArray(payload.content.parts) ? payload.content.parts.filter(isObject) : [];
  const events = parts.map((part): ChatEvent => {
    if ('functionCall' in part || 'functionResponse' in part) return { type: 'tool' };
    if (fromModel && typeof part.text === 'string' && part.text !== '' && part.thought !== true)
      return { type: 'text', text: part.text };
    return { type: 'heartbeat' };
  });
  return events.length > 0 ? events : [{ type: 'heartbeat' }];
}

/** The events in one SSE event's data. Empty data is a heartbeat; data that isn't JSON is dropped. */
export function parseEventData(data: string): ChatEvent[] {
  if (data.trim() === '') return [{ type: 'heartbeat' }];
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return [];
  }
  if (!isObject(payload)) return [];
  if (typeof payload.type === 'string') return simpleEvent(payload as Json & { type: string });
  if (isObject(payload.content)) return agentEvent(payload as Json & { content: Json });
  if (payload.error_code !== undefined || payload.error !== undefined) {
    return [{ type: 'error', code: errorCode(payload.error_code ?? payload.code) }];
  }
  return [{ type: 'heartbeat' }];
}

/**
 * The data of each event in a Server-Sent Events stream, as the HTML spec reads it (eventsource-parser).
 * Data left without a closing blank line when the stream ends still counts.
 */
export async function* readEventData(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const events: string[] = [];
  const parser = createParser({ onEvent: ({ data }) => events.push(data) });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // A blank line after the last bytes closes an event the stream left open.
      parser.feed(done ? `${decoder.decode()}\n\n` : decoder.decode(value, { stream: true }));
      yield* events.splice(0);
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The normalized chat events of a `/run_sse` reply body, in order. */
export async function* readChatEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  for await (const data of readEventData(stream)) yield* parseEventData(data);
}
