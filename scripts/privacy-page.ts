import { readFileSync } from 'node:fs';
import { marked } from 'marked';

/**
 * docs/privacy.md as a static page of the extension (privacy.html), linked from the settings: it
 * opens offline and always matches the installed version. Rendered at build time, so the page runs
 * no script.
 */
export function privacyPage(markdownPath: string): string {
  const body = marked.parse(readFileSync(markdownPath, 'utf8'), { async: false });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/icon/32.png">
<title>Video to MP3: privacy</title>
<style>
:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
body { max-width: 760px; margin: 32px auto; padding: 0 16px; }
table { border-collapse: collapse; } th, td { border: 1px solid #8884; padding: 4px 8px; text-align: left; vertical-align: top; }
</style>
</head>
<body>
${body}</body>
</html>
`;
}
