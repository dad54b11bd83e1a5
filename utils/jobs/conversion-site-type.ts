import type { MessageData, ReplyOf } from '../messages';
import type { ReportType } from '../site/conversions';
import type { HostRequestType } from '../site/host-requests';

export type ReportHandlers = { [T in ReportType]: (data: MessageData<T>) => Promise<void> };

/** Where local conversions run, seen from the job queue. */
export interface ConversionSite {
  send<T extends HostRequestType>(type: T, data: MessageData<T>): Promise<ReplyOf<T>>;
  runningJobIds(): Promise<string[]>;
  cancel(jobId: string): Promise<void>;
  /** Starts what conversions need, ahead of the first one. */
  warmUp(): Promise<void>;
  /** Frees what the site holds when no job needs it. */
  close(): Promise<void>;
  /** Where each job's progress and outcome go. */
  onReports(handlers: ReportHandlers): void;
}
