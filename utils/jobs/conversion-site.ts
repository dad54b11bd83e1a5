import type { ConversionSite } from './conversion-site-type';
import { offscreenDocument } from './offscreen-document';
import { backgroundPage } from './background-page';

/**
 * Chromium's service worker has no DOM, so conversions run in an offscreen document; Firefox has
 * no offscreen API, but its MV3 background is a page with a DOM that can run them itself.
 */
export const conversionSite: ConversionSite = import.meta.env.FIREFOX ? backgroundPage : offscreenDocument;
