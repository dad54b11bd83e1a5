import type { ConversionRequest, ConversionResult } from '../engine';
import type { FailureReason } from '../../failures';

export type ToConversionWorker = { type: 'warm-up' } | { type: 'convert'; request: ConversionRequest };

export type FromConversionWorker =
  | { type: 'progress'; progress: number }
  | { type: 'converted'; result: ConversionResult }
  /** `reason` is set for a failure the user gets explained; anything else is 'internal'. */
  | { type: 'failed'; reason?: FailureReason; message: string };
