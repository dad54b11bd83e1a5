import { describe, expect, it } from 'vitest';
import { parseEventData, readChatEvents, readEventData, type ChatEvent } from '@/utils/engines/cloud/sse';

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const event of events) result.push(event);
  return result;
}

describe('readEventData', () => {
  it.each<[string, string, string[]]>([
    ['LF line ends', 'data: a\n\ndata: b\n\n', ['a', 'b']],
    ['CRLF line ends', 'data: a\r\n\r\ndata: b\r\n\r\n', ['a', 'b']],
    ['CR line ends', 'data: a\r\rdata: b\r\r', ['a', 'b']],
    ['comments', ': hello\n\ndata: a\n: between\n\n', ['a']],
    [
      'multi-line data, joined by LF',
      'data: {"type":"text",\ndata: "content":"x"}\n\n',
      ['{"type":"text",\n"content":"x"}'],
    ],
    ['empty data', 'data:\n\n', ['']],
    ['"data" with no colon', 'data\n\n', ['']],
    ['no space after the colon', 'data:a\n\n', ['a']],
    ['only one leading space is removed', 'data:  a\n\n', [' a']],
    ['other fields are ignored', 'event: message\nid: 7\nretry: 100\ndata: a\n\n', ['a']],
    ['an event with no data is no event', 'event: ping\n\n', []],
    ['blank lines in a row', '\n\n\ndata: a\n\n\n\n', ['a']],
    ['a last event without its blank line', 'data: a\n\ndata: b', ['a', 'b']],
    ['a last event ending in CR only', 'data: a\r', ['a']],
  ])('%s', async (_label, text, expected) => {
    expect(await collect(readEventData(streamOf([text])))).toEqual(expected);
  });

  const sample = ': hi\r\ndata: {"type":"text","content":"héllo 你好 🎵"}\r\n\r\ndata:\ndata: x\n\ndata: end\r\r';
  const expected = ['{"type":"text","content":"héllo 你好 🎵"}', '\nx', 'end'];
  const bytes = new TextEncoder().encode(sample);

  it('gives the same events wherever the chunks split the bytes (two chunks)', async () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const events = await collect(readEventData(streamOf([bytes.slice(0, cut), bytes.slice(cut)])));
      expect(events, `cut at byte ${cut}`).toEqual(expected);
    }
  });

  it('gives the same events from one byte at a time', async () => {
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await collect(readEventData(streamOf(chunks)))).toEqual(expected);
  });

  it('does not read a CRLF split between chunks as two line ends', async () => {
    expect(await collect(readEventData(streamOf(['data: a\r', '\n\r', '\ndata: b\r\n\r\n'])))).toEqual(['a', 'b']);
  });
});

describe('parseEventData', () => {
  it.each<[string, string, ChatEvent[]]>([
    ['simple text', '{"type":"text","content":"Hello"}', [{ type: 'text', text: 'Hello' }]],
    ['simple text under "text"', '{"type":"text","text":"Hello"}', [{ type: 'text', text: 'Hello' }]],
    ['simple text, type in capitals', '{"type":"TEXT","content":"Hello"}', [{ type: 'text', text: 'Hello' }]],
    ['simple empty text', '{"type":"text","content":""}', [{ type: 'heartbeat' }]],
    ['simple tool_call', '{"type":"tool_call","name":"edit","args":{}}', [{ type: 'tool' }]],
    ['simple tool_result', '{"type":"tool_result","name":"edit","result":{}}', [{ type: 'tool' }]],
    ['simple heartbeat', '{"type":"heartbeat"}', [{ type: 'heartbeat' }]],
    ['simple unknown type', '{"type":"status","status":"thinking"}', [{ type: 'heartbeat' }]],
    [
      'simple error with a code',
      '{"type":"error","code":2001,"message":"no credits"}',
      [{ type: 'error', code: 2001 }],
    ],
    ['simple error with a code as text', '{"type":"error","code":"1002"}', [{ type: 'error', code: 1002 }]],
    ['empty data', '', [{ type: 'heartbeat' }]],
    ['blank data', '  ', [{ type: 'heartbeat' }]],
    ['agent text', '{"content":{"role":"model","parts":[{"text":"Hi"}]}}', [{ type: 'text', text: 'Hi' }]],
    ['agent function call', '{"content":{"parts":[{"functionCall":{"name":"edit","args":{}}}]}}', [{ type: 'tool' }]],
    [
      'agent function response',
      '{"content":{"role":"user","parts":[{"functionResponse":{"name":"edit","response":{}}}]}}',
      [{ type: 'tool' }],
    ],
    [
      'agent text and call in one event',
      '{"content":{"parts":[{"text":"On it."},{"functionCall":{"name":"edit"}}]}}',
      [{ type: 'text', text: 'On it.' }, { type: 'tool' }],
    ],
    [
      'agent partial text (repeated by the final event)',
      '{"partial":true,"content":{"parts":[{"text":"Do"}]}}',
      [{ type: 'heartbeat' }],
    ],
    ['agent thought', '{"content":{"parts":[{"text":"thinking…","thought":true}]}}', [{ type: 'heartbeat' }]],
    [
      'agent user text echo',
      '{"content":{"role":"user","parts":[{"text":"extract the audio"}]}}',
      [{ type: 'heartbeat' }],
    ],
    ['agent empty parts', '{"content":{"parts":[]}}', [{ type: 'heartbeat' }]],
    ['agent error', '{"error_code":"429","error_message":"slow down"}', [{ type: 'error', code: 429 }]],
    ['an object of no known shape', '{"hello":"world"}', [{ type: 'heartbeat' }]],
    ['malformed JSON', '{"type":"text","content":', []],
    ['not JSON at all', '[DONE]', []],
    ['a JSON string', '"text"', []],
    ['a JSON array', '[{"type":"text","content":"x"}]', []],
    ['JSON null', 'null', []],
  ])('%s', (_label, data, expected) => {
    expect(parseEventData(data)).toEqual(expected);
  });
});

describe('readChatEvents', () => {
  it('normalizes a whole stream, skipping malformed lines', async () => {
    const stream = streamOf([
      ': connected\n\n',
      'data: {"type":"heartbeat"}\n\n',
      'data: {"type":"tool_call","na',
      'me":"edit"}\n\ndata: {broken\n\n',
      'data:\n\n',
      'data: {"type":"text","content":"Done!"}\n\n',
    ]);
    expect(await collect(readChatEvents(stream))).toEqual([
      { type: 'heartbeat' },
      { type: 'tool' },
      { type: 'heartbeat' },
      { type: 'text', text: 'Done!' },
    ]);
  });
});
