// Types of server.mjs for the TypeScript tests (the project doesn't type-check JavaScript). Keep in step with its JSDoc.
import type { IncomingHttpHeaders } from 'node:http';

export interface Faults {
  tokenExpiredOnce?: boolean;
  sessionLostOnce?: boolean;
  missingClientIdOnce?: boolean;
  rateLimitedOnce?: boolean;
  noCredits?: boolean;
  unsupportedFile?: boolean;
  tooLarge?: boolean;
  planBlocked?: boolean;
  duplicateRenderIdOnce?: boolean;
  sseShape?: 'simple' | 'adk';
  chatWithoutText?: boolean;
  chatDelayMs?: number;
  renderReturnsMp4?: boolean;
  renderFails?: boolean;
  renderStatusShape?: 'data' | 'top-level';
  creditsShape?: 'total' | 'granted' | 'strings';
  hangOnce?: CallName;
  chatSilentOnce?: boolean;
  chatCutOffOnce?: boolean;
  serverErrorOnce?: CallName;
  serverError?: CallName;
  truncatedJsonOnce?: CallName;
  wrongShapeOnce?: CallName;
  renderNeverCompletes?: boolean;
}

export type CallName = 'token' | 'session' | 'upload' | 'chat' | 'state' | 'credits' | 'export' | 'status' | 'cancel' | 'download';

export interface CreditAccount {
  available: number;
  frozen: number;
  consumed: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
}

export interface NemoVideoServer {
  url: string;
  requests: LoggedRequest[];
  credits: Map<string, CreditAccount>;
  setFaults(faults: Faults): void;
  readonly faults: Faults;
  close(): Promise<void>;
}

export function startNemoVideoServer(options?: { port?: number; host?: string }): Promise<NemoVideoServer>;
