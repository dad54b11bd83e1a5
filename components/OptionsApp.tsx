import { i18n } from '#i18n';
import { AppIcon } from './AppIcon';
import { SettingsForm } from './SettingsForm';

export function OptionsApp() {
  return (
    <main className="options">
      <h1 className="title">
        <AppIcon />
        {i18n.t('options.title')}
      </h1>
      <SettingsForm />
      <p className="muted">
        <a href="/privacy.html" target="_blank" rel="noopener">
          {i18n.t('options.privacy')}
        </a>
      </p>
    </main>
  );
}
