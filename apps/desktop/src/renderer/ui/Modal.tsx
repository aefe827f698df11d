// DOM: a native modal `<dialog>`: focus stays inside, Escape cancels, the page behind is inert,
// and focus returns to where it was when the dialog closes.
import { useEffect, useRef, type ReactNode } from 'react';

/** A native modal `<dialog>`: focus stays inside, Escape cancels, the page behind is inert. */
export function Modal(props: {
  labelledBy: string;
  onCancel: () => void;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCancelRef = useRef(props.onCancel);
  useEffect(() => {
    onCancelRef.current = props.onCancel;
  }, [props.onCancel]);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCancelRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      previous?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={props.labelledBy}
      className={props.wide ? 'dialog wide' : 'dialog'}
    >
      {props.children}
    </dialog>
  );
}
