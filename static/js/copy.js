// Copy buttons for the inbox's snippets. They are hidden in the page and shown here, so a
// browser without scripts never offers a button that does nothing. Each says what it did in a
// status region beside it, which screen readers announce.
(() => {
  const say = (button, text) => {
    const status = button.parentElement.querySelector(".copy-status");
    if (status) {
      status.textContent = text;
      window.setTimeout(() => { status.textContent = ""; }, 4000);
    }
  };
  const copyBySelection = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const done = document.execCommand("copy");
    return done;
  };
  document.querySelectorAll(".copy-button[data-copy-target]").forEach((button) => {
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(target.textContent);
        } else if (!copyBySelection(target)) {
          throw new Error("copy refused");
        }
        say(button, "Copied.");
      } catch (error) {
        copyBySelection(target);
        say(button, "Selected: press Ctrl+C (or ⌘C) to copy.");
      }
    });
  });
})();
