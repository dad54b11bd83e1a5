import type { ReadableBlob } from '../blob-window-source';
import type { Chapter } from './chapter';

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const SEEK_HEAD = 0x114d9b74;
const SEEK = 0x4dbb;
const SEEK_ID = 0x53ab;
const SEEK_POSITION = 0x53ac;
const CHAPTERS = 0x1043a770;
const CLUSTER = 0x1f43b675;
const EDITION_ENTRY = 0x45b9;
const CHAPTER_ATOM = 0xb6;
const CHAPTER_TIME_START = 0x91;
const CHAPTER_TIME_END = 0x92;
const CHAPTER_FLAG_HIDDEN = 0x98;
const CHAPTER_DISPLAY = 0x80;
const CHAP_STRING = 0x85;
/** Chapters bigger than this are not worth reading whole. */
const MAX_CHAPTERS_BYTES = 1 << 20;
const MAX_TOP_LEVEL_ELEMENTS = 64;

interface Element {
  id: number;
  /** Where its data starts and ends (`end` is Infinity for an unknown size). */
  start: number;
  end: number;
}

/** An EBML variable-length number at `at`: its value (with the marker kept for IDs) and its length. */
function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    value = value * 256 + bytes[at + index]!;
    allOnes &&= bytes[at + index] === 0xff;
  }
  return { value: !keepMarker && allOnes ? Infinity : value, length };
}

function readElement(bytes: Uint8Array, at: number, offset = 0): Element | undefined {
  const id = readVint(bytes, at, true);
  const size = id && readVint(bytes, at + id.length, false);
  if (!id || !size) return undefined;
  const start = offset + at + id.length + size.length;
  return { id: id.value, start, end: start + size.value };
}

function* children(bytes: Uint8Array, start: number, end: number): Generator<Element> {
  for (let at = start; at < Math.min(end, bytes.length);) {
    const element = readElement(bytes, at);
    if (!element || element.end > bytes.length) return;
    yield element;
    at = element.end;
  }
}

function unsigned(bytes: Uint8Array, element: Element): number {
  let value = 0;
  for (let at = element.start; at < element.end; at++) value = value * 256 + bytes[at]!;
  return value;
}

/** The titles and times of the first edition's chapters (not hidden), from a `Chapters` element's data. */
export function parseMatroskaChapters(bytes: Uint8Array): Chapter[] {
  const edition = [...children(bytes, 0, bytes.length)].find((element) => element.id === EDITION_ENTRY);
  if (!edition) return [];
  const decoder = new TextDecoder();
  const chapters: Chapter[] = [];
  for (const atom of children(bytes, edition.start, edition.end)) {
    if (atom.id !== CHAPTER_ATOM) continue;
    let start: number | undefined;
    let end: number | undefined;
    let hidden = false;
    let title = '';
    for (const field of children(bytes, atom.start, atom.end)) {
      if (field.id === CHAPTER_TIME_START) start = unsigned(bytes, field) / 1e9;
      else if (field.id === CHAPTER_TIME_END) end = unsigned(bytes, field) / 1e9;
      else if (field.id === CHAPTER_FLAG_HIDDEN) hidden = unsigned(bytes, field) === 1;
      else if (field.id === CHAPTER_DISPLAY && !title) {
        const text = [...children(bytes, field.start, field.end)].find((part) => part.id === CHAP_STRING);
        if (text) title = decoder.decode(bytes.subarray(text.start, text.end));
      }
    }
    if (start !== undefined && !hidden)
      chapters.push({ title, startSeconds: start, ...(end === undefined ? {} : { endSeconds: end }) });
  }
  return chapters;
}

async function bytesOf(blob: ReadableBlob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());
}

/**
 * A Matroska or WebM file's chapters: its `Chapters` element, found among the segment's elements
 * before the first cluster, or where the seek head says; empty when there is none.
 */
export async function readMatroskaChapters(blob: ReadableBlob): Promise<Chapter[]> {
  const head = await bytesOf(blob, 0, 64);
  const header = readElement(head, 0);
  if (!header || header.id !== EBML_HEADER || header.end === Infinity) return [];
  const segment = readElement(await bytesOf(blob, header.end, header.end + 16), 0, header.end);
  if (!segment || segment.id !== SEGMENT) return [];
  let chaptersAt: number | undefined;
  let at = segment.start;
  for (let count = 0; count < MAX_TOP_LEVEL_ELEMENTS && at < Math.min(segment.end, blob.size); count++) {
    const element = readElement(await bytesOf(blob, at, at + 16), 0, at);
    if (!element || element.end === Infinity) break;
    if (element.id === CHAPTERS) {
      if (element.end - element.start > MAX_CHAPTERS_BYTES) return [];
      return parseMatroskaChapters(await bytesOf(blob, element.start, element.end));
    }
    if (element.id === SEEK_HEAD && element.end - element.start <= MAX_CHAPTERS_BYTES)
      chaptersAt = seekPosition(await bytesOf(blob, element.start, element.end), segment.start) ?? chaptersAt;
    if (element.id === CLUSTER) {
      if (chaptersAt === undefined || chaptersAt <= at) break;
      at = chaptersAt;
      continue;
    }
    at = element.end;
  }
  return [];
}

/** Where a seek head says the `Chapters` element is, in the file. */
function seekPosition(bytes: Uint8Array, segmentStart: number): number | undefined {
  for (const seek of children(bytes, 0, bytes.length)) {
    if (seek.id !== SEEK) continue;
    const fields = [...children(bytes, seek.start, seek.end)];
    const id = fields.find((field) => field.id === SEEK_ID);
    const position = fields.find((field) => field.id === SEEK_POSITION);
    if (id && position && unsigned(bytes, id) === CHAPTERS) return segmentStart + unsigned(bytes, position);
  }
  return undefined;
}
