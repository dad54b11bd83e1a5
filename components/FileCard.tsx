import type { ReactNode } from 'react';

/** One file in a list: its name (the row's accessible name), something beside it, and the rest below. */
export function FileCard({ name, aside, children }: { name: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <li className="job" aria-label={name}>
      <div className="job__title">
        <span className="file-name" title={name}>
          {name}
        </span>
        {aside}
      </div>
      {children}
    </li>
  );
}
