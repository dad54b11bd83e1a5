import { makeZip } from 'client-zip';
import { deleteScratch, getBlob, spillTo } from '../blob-store';
import { BlobWriter } from '../engines/local/blob-writer';

/** Scratch parts of the ZIP being made; the one before it is dropped when the next starts. */
const ZIP_SCRATCH = 'zip';

/** `clip.mp3` twice becomes `clip.mp3` and `clip (1).mp3`, as the downloads folder names them. */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let unique = name;
    for (let copy = 1; taken.has(unique.toLowerCase()); copy++) unique = `${stem} (${copy})${extension}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

/**
 * One ZIP of the stored MP3s, entries named as given, made with client-zip as a stream: each MP3 is
 * read from IndexedDB as the ZIP reaches it, and the ZIP goes to disk in parts as it comes, so memory
 * holds a few megabytes whatever the total. Stored, not deflated: MP3 doesn't compress.
 */
export async function zipStoredOutputs(entries: readonly { outputKey: string; fileName: string }[]): Promise<Blob> {
  await deleteScratch(ZIP_SCRATCH);
  const names = uniqueNames(entries.map((entry) => entry.fileName));
  async function* files() {
    for (const [index, entry] of entries.entries()) {
      const blob = await getBlob('outputs', entry.outputKey);
      if (!blob) throw new Error(`No stored output ${entry.outputKey}`);
      yield { name: names[index]!, input: blob, lastModified: new Date() };
    }
  }
  const writer = new BlobWriter(spillTo(ZIP_SCRATCH));
  const reader = makeZip(files()).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    writer.append(chunk.value);
    await writer.ready;
  }
  return writer.toBlob('application/zip');
}
