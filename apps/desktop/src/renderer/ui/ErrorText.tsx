// DOM: an inline error, announced when it appears.
export function ErrorText({ id, message }: { id?: string; message: string | null }) {
  return (
    <p id={id} className="error-text" role="alert" hidden={message === null}>
      {message}
    </p>
  );
}
