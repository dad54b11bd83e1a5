import { i18n } from '#i18n';
import { useId, useState, type FormEvent } from 'react';
import { sendMessage } from '@/utils/messages';
import { Alert } from './Alert';
import { useCommand } from './useCommand';

/** The address of a video file or an HLS/DASH manifest, pasted: one job in the queue, as from a page. */
export function VideoLink() {
  const id = useId();
  const [url, setUrl] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { error, run } = useCommand();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = url.trim();
    const web = URL.canParse(address) && /^https?:$/.test(new URL(address).protocol);
    setInvalid(!web);
    if (!web) return;
    void run(async () => {
      const reply = await sendMessage('jobs:add-link', { url: address });
      if (reply.ok) setUrl('');
      return reply;
    });
  };

  return (
    <form className="field video-link" noValidate onSubmit={submit}>
      <label htmlFor={id}>{i18n.t('popup.videoLink')}</label>
      <div className="video-link__row">
        <input
          id={id}
          type="url"
          inputMode="url"
          value={url}
          placeholder="https://"
          aria-invalid={invalid || undefined}
          onChange={(event) => setUrl(event.currentTarget.value)}
        />
        <button type="submit" className="button">
          {i18n.t('page.extractMp3')}
        </button>
      </div>
      <Alert message={invalid ? i18n.t('popup.videoLinkInvalid') : error} />
    </form>
  );
}
