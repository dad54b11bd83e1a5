import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EditorApp } from '@/components/editor/EditorApp';
import { sendMessage } from '@/utils/messages';
import { localizeDocument } from '@/utils/localize-document';
import '@/components/styles.css';
import '@/components/editor/editor.css';

localizeDocument();

// Someone who opens the editor will most likely save a cut: the local engine gets ready meanwhile.
sendMessage('engine:warm-up', undefined).catch((error: unknown) => console.warn('Warm-up failed', error));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EditorApp />
  </StrictMode>,
);
