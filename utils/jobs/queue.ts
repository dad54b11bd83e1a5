import { add, cancel, exportReviewed, remove, retry, start, stopRecording } from './queue/commands';
import { onConverted, onFailed, onInputNotKept, onProgress } from './queue/reports';
import { chooseTrack, onTracks } from './queue/track-choice';
import { downloadAgain, onDownloadChanged, showInFolder } from './queue/saving';
import { downloadAllAsZip } from './queue/zip-download';
import { fillSlots } from './queue/scheduling';
import { openSite, warmUp } from './queue/idle-close';
import { recover } from './queue/recovery';
import { pumpWith } from './queue/pump';

pumpWith(fillSlots);

/**
 * The one job queue: the popup, the context menu and the in-page button all start jobs here.
 * Every step is written to storage first, so a stopped service worker picks up where it was.
 *
 * Its parts, in `queue/`: the commands users give, the reports from the conversion site, saving
 * and Completed downloads, scheduling (with the watchdog over local jobs), closing when idle,
 * the cloud hand-off, and recovery when the worker starts.
 */
export const jobQueue = {
  add,
  start,
  cancel,
  stopRecording,
  retry,
  remove,
  exportReviewed,
  onProgress,
  onConverted,
  onFailed,
  onInputNotKept,
  onDownloadChanged,
  downloadAgain,
  downloadAllAsZip,
  showInFolder,
  warmUp,
  openSite,
  recover,
  onTracks,
  chooseTrack,
};
