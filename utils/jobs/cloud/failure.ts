import { CloudError, describeCloudError, type CloudErrorKind } from '../../engines/cloud/errors';
import { ConversionError, describeFailure } from '../../failures';
import { i18n } from '#i18n';

/** Cloud failures this device may get past: it has no plan, credits or size limit, and reads files its own way. */
const LOCAL_MAY_HELP: readonly CloudErrorKind[] = [
  'unsupported-file',
  'too-large',
  'plan-blocked',
  'no-credits',
  'export-failed',
  'export-timeout',
];

/** What the user reads when a cloud job fails: the file, then what happened and what to do. */
export async function describeCloudFailure(
  error: unknown,
  fileName: string,
): Promise<{ message: string; offerLocal: boolean }> {
  if (error instanceof ConversionError) return { message: describeFailure(error.reason, fileName), offerLocal: false };
  const cloudError =
    error instanceof CloudError ? error : new CloudError(error instanceof TypeError ? 'network' : 'server');
  const offerLocal = LOCAL_MAY_HELP.includes(cloudError.kind);
  const reason = describeCloudError(cloudError);
  return { message: i18n.t('conversation.notConverted', { file: fileName, reason }), offerLocal };
}
