import type { Engine } from '../engines/engine';
import { localEngine } from '../engines/local/local-engine';
import type { Report } from '../site/conversions';
import { hostRequests, type HostRequests } from '../site/host-requests';
import { keepAlive, type KeepAlive } from '../timing/keep-alive';
import type { ConversionSite, ReportHandlers } from './conversion-site-type';

/** Conversions run in this page itself and report by plain calls (a runtime message never reaches its own sender). */
export function inThisPage(engine: Engine): ConversionSite {
  let handlers: ReportHandlers | undefined;
  let requests: HostRequests | undefined;
  // As from the offscreen document, a report that fails to be handled never fails the conversion.
  const report: Report = async (type, data) => {
    try {
      if (!handlers) throw new Error('No report handlers yet');
      await handlers[type](data as never);
    } catch (error) {
      console.error(`Handling ${type} failed`, error);
    }
  };
  const here = () => (requests ??= hostRequests(engine, report));
  // Firefox suspends an event page after 30 s without extension events or API calls, even mid-conversion.
  let awake: KeepAlive | undefined;
  const keepAliveWhileConverting = () => {
    if (awake?.active) return;
    awake = keepAlive(async () => (await here()['site:running'](undefined)).length > 0);
  };
  return {
    async send(type, data) {
      if (type === 'site:convert') keepAliveWhileConverting();
      return here()[type](data as never);
    },
    async runningJobIds() {
      return here()['site:running'](undefined);
    },
    async cancel(jobId) {
      await here()['site:cancel']({ jobId });
    },
    async warmUp() {
      // The host takes handed-over files from its start.
      here();
      engine.warmUp?.();
    },
    async close() {},
    onReports(reportHandlers) {
      handlers = reportHandlers;
    },
  };
}

/**
 * Firefox: its MV3 background is an event page with a DOM, so the local engine runs right there.
 * Marked pure so that the Chromium build, which never uses it, leaves the engine out of its worker.
 */
export const backgroundPage = /* @__PURE__ */ inThisPage(localEngine);
