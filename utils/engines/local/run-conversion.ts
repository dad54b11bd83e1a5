import { ConversionCanceledError, type Conversion } from 'mediabunny';
import { cancelledError } from '../../timing/cancel';

/** Runs a mediabunny `conversion` to its end, as a cancellable step of a job. */
export async function runConversion(conversion: Conversion, signal: AbortSignal): Promise<void> {
  const cancel = () => void conversion.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    await conversion.execute();
  } catch (error) {
    if (error instanceof ConversionCanceledError || signal.aborted) throw cancelledError();
    throw error;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
