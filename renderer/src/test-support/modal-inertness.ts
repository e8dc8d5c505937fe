/**
 * Makes `focus()` ignore elements outside an open `<dialog>`, as a browser does while a modal
 * dialog makes the rest of the page inert. happy-dom has no inertness, so without this a test
 * cannot catch focus that moves to the page before the dialog has closed. Returns a function
 * that restores `focus()`.
 */
export function emulateModalInertness(): () => void {
  const original = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function focusUnlessInert(
    this: HTMLElement,
    options?: FocusOptions,
  ) {
    const modal = this.ownerDocument.querySelector('dialog[open]');
    if (modal && !modal.contains(this)) return;
    original.call(this, options);
  };
  return () => {
    HTMLElement.prototype.focus = original;
  };
}
