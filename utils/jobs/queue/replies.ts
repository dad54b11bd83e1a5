import type { CommandReply } from '../../messages';

export const ok: CommandReply = { ok: true };
export const refuse = (error: string): CommandReply => ({ ok: false, error });
