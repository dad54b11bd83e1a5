import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PopupApp } from '@/components/PopupApp';
import { sendMessage } from '@/utils/messages';
import { localizeDocument } from '@/utils/localize-document';
import '@/components/styles.css';

localizeDocument();

// Someone who opens the popup is about to convert: the local engine gets ready meanwhile.
sendMessage('engine:warm-up', undefined).catch((error: unknown) => console.warn('Warm-up failed', error));
sendMessage('badge:seen', undefined).catch((error: unknown) => console.warn('Clearing the badge failed', error));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PopupApp />
  </StrictMode>,
);
