import { SettingsForm } from './SettingsForm';

export function OptionsApp() {
  return (
    <main className="options">
      <h1>Video to MP3 settings</h1>
      <SettingsForm />
    </main>
  );
}
