import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

import type { ErrorView } from '../support/error-text.js';
import { ErrorMessage } from './error-message.js';

/**
 * Renders a modal confirmation dialog (`role="alertdialog"`) with a confirm and a cancel button.
 * It opens with the cancel button focused, so Enter or Escape never confirm by accident. Escape
 * and the cancel button close the dialog, move the focus to `returnFocusTo` and call `onCancel`.
 * The caller removes the dialog by unmounting it.
 */
export function ConfirmDialog(props: {
  /** Id of the heading, which names the dialog. */
  titleId: string;
  title: ReactNode;
  /** Id of the element around `children`, which describes the dialog. */
  descriptionId: string;
  children: ReactNode;
  confirmLabel: string;
  /** Class of the confirm button: `danger` for a destructive action. */
  confirmClassName: 'danger' | 'primary';
  cancelLabel: string;
  /** Disables both buttons while the confirmed action runs. */
  busy?: boolean;
  /** The failure of the confirmed action, shown above the buttons. */
  error?: ErrorView | null;
  /** The control that opened the dialog, which gets the focus back on cancel. */
  returnFocusTo?: RefObject<HTMLElement | null>;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancelButton.current?.focus();
    return () => element?.close();
  }, []);

  const cancel = () => {
    // A modal dialog makes the rest of the page inert, so the opener takes the focus only after
    // the dialog has closed.
    dialog.current?.close();
    props.returnFocusTo?.current?.focus();
    props.onCancel();
  };

  return (
    <dialog
      ref={dialog}
      className="card stack confirm-dialog"
      role="alertdialog"
      aria-labelledby={props.titleId}
      aria-describedby={props.descriptionId}
      onCancel={(event) => {
        // Escape closes through onCancel, so React state and the dialog stay in step.
        event.preventDefault();
        cancel();
      }}
    >
      <h2 id={props.titleId}>{props.title}</h2>
      <div id={props.descriptionId}>{props.children}</div>
      {props.error ? <ErrorMessage error={props.error} /> : null}
      <div className="row">
        <button
          type="button"
          className={props.confirmClassName}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
        <button ref={cancelButton} type="button" disabled={props.busy} onClick={cancel}>
          {props.cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
