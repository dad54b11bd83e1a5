/** The extension's icon beside a page's title; decorative, since the title names the extension. */
export function AppIcon() {
  return <img className="app-icon" src="/icon/32.png" alt="" width={20} height={20} />;
}
