import { z } from 'zod';

/**
 * Which ID3 tags the MP3 gets: the title, the source's artist and album, cover art (the source's, else
 * a video frame). Apart from the settings so that the conversion worker can read the defaults without
 * loading the settings' storage item, which reads extension storage a worker doesn't have.
 */
export const tagChoicesSchema = z.object({ title: z.boolean(), artistAlbum: z.boolean(), cover: z.boolean() });
export type TagChoices = z.infer<typeof tagChoicesSchema>;
export const ALL_TAGS: TagChoices = { title: true, artistAlbum: true, cover: true };
