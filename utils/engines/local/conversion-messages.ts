import type { ConversionRequest, ConversionResult } from '../engine';
import type { FailureReason } from '../../failures';

export type ToConversionWorker = { type: 'warm-up' } | { type: 'convert'; request: ConversionRequest };

export type FromConversionWorker =
  | { type: 'progress'; progress: number }
  | { type: 'converted'; result: ConversionResult }
  /** `reason` picks the words the user gets ('internal' for what has none). */
  | { type: 'failed'; reason: FailureReason; message: string };
