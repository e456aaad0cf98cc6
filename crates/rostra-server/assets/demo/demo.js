// Rostra demo page: the full-size image dialog. Progressive enhancement:
// without this script the links simply open the image file.
(() => {
  'use strict';
  const dialog = document.getElementById('figure-dialog');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const close = dialog.querySelector('[data-dialog-close]');
  let opener = null;

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-fullsize]');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    opener = link;
    dialog.showModal();
    close.focus();
  });

  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop lands on the <dialog> itself, not on its content.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  // Esc closes a modal dialog natively; every way out returns focus.
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
})();
