/** A message in plain words that screen readers announce; renders nothing without one. */
export function Alert({ message, id }: { message: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="alert">
      {message}
    </p>
  );
}
