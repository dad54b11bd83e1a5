import type { ConversionRequest, ConversionResult } from '../engine';
import type { FailureReason } from '../../failures';
import type { SourceDescription } from '../../outputs/output-plan';

export type ToConversionWorker =
  { type: 'warm-up' } | { type: 'convert'; request: ConversionRequest } | { type: 'describe'; input: Blob };

export type FromConversionWorker =
  | { type: 'progress'; progress: number }
  | { type: 'converted'; result: ConversionResult }
  | { type: 'described'; description: SourceDescription }
  /** `reason` picks the words the user gets ('internal' for what has none). */
  | { type: 'failed'; reason: FailureReason; message: string };
