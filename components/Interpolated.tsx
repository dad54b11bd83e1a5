import { Fragment, type ReactNode } from 'react';

/** Named substitutions that leave `{name}` in a translated text, for <Interpolated> to fill with an element. */
export function markers<Name extends string>(...names: Name[]): Record<Name, string> {
  return Object.fromEntries(names.map((name) => [name, `{${name}}`])) as Record<Name, string>;
}

/** A translated sentence with elements in it (a link, bold text): each `{name}` in `text` becomes `parts[name]`. */
export function Interpolated({ text, parts }: { text: string; parts: Record<string, ReactNode> }) {
  const pieces = text.split(/\{(\w+)\}/);
  return (
    <>
      {pieces.map((piece, index) => (
        <Fragment key={index}>{index % 2 === 0 ? piece : piece in parts ? parts[piece] : `{${piece}}`}</Fragment>
      ))}
    </>
  );
}
