import { resolve } from 'node:path';
import { defineConfig } from 'wxt';
import type { Plugin } from 'vite';
import { privacyPage } from './scripts/privacy-page';

const ffmpegCore = resolve('node_modules/@ffmpeg/core/dist/esm');

/** Made from public/icon.svg by `npm run icons`. */
const icons = (folder: string) => Object.fromEntries([16, 32, 48, 128].map((size) => [size, `${folder}/${size}.png`]));

/** ffmpeg.wasm's worker falls back to a CDN copy of its core; we always pass the packaged one, so drop the URL. */
function withoutFfmpegCdnFallback(): Plugin {
  return {
    name: 'without-ffmpeg-cdn-fallback',
    transform(code, id) {
      if (!id.includes('@ffmpeg/ffmpeg/dist/esm/const.js')) return;
      return code.replace(/`https:\/\/unpkg\.com\/[^`]*`/, "''");
    },
  };
}

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  manifest: ({ browser }) => ({
    // Both from locales/*.yml, in the browser's language.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    icons: icons('icon'),
    action: {
      default_icon: icons('icon'),
      default_title: '__MSG_extName__',
      // Firefox: a light tile on dark toolbars (`light` is the icon for a dark theme).
      ...(browser === 'firefox' && {
        theme_icons: [16, 32].map((size) => ({
          size,
          dark: `icon/${size}.png`,
          light: `icon/dark-theme/${size}.png`,
        })),
      }),
    },
    permissions: [
      'storage',
      'unlimitedStorage',
      'downloads',
      'contextMenus',
      // Sets the page as Referer on the extension's own fetches of a page's video (utils/jobs/page-headers.ts).
      'declarativeNetRequestWithHostAccess',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    host_permissions: ['http://*/*', 'https://*/*'],
    web_accessible_resources: [{ resources: ['bridge.html'], matches: ['<all_urls>'] }],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'video-to-mp3@nemovideo.ai',
          // 130 brought WebCodecs audio (the local engine), 140 data_collection_permissions; 140 is also an ESR.
          strict_min_version: '140.0',
          // With the cloud engine a chosen video (possibly one from a web page) goes to NemoVideo.
          data_collection_permissions: { required: ['websiteContent'] },
        },
        // Firefox for Android reads data_collection_permissions from 142.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
  vite: () => ({
    plugins: [withoutFfmpegCdnFallback()],
    worker: { plugins: () => [withoutFfmpegCdnFallback()] },
  }),
  hooks: {
    // ffmpeg.wasm's core ships inside the package (no remote code; works offline), loaded only as a fallback.
    'build:publicAssets': (_wxt, assets) => {
      for (const file of ['ffmpeg-core.js', 'ffmpeg-core.wasm']) {
        assets.push({ absoluteSrc: resolve(ffmpegCore, file), relativeDest: `ffmpeg/${file}` });
      }
      assets.push({ contents: privacyPage(resolve('docs/privacy.md')), relativeDest: 'privacy.html' });
    },
  },
  zip: {
    // addons.mozilla.org rebuilds the add-on from the sources zip: `npm ci && npm run build:firefox`.
    // WXT already leaves out node_modules, test files, the output and dotfiles; test helpers and screenshots aren't needed.
    excludeSources: ['tests/**', 'docs/*.png', 'store/**', 'demo/.media/**', 'bench/**'],
  },
  webExt: {
    binaries: { chrome: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
    startUrls: [process.env.DEMO_URL ?? 'http://localhost:5175/'],
    chromiumArgs: [
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Chromium refuses to run as root (containers, CI machines) unless its sandbox is off.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  },
});
