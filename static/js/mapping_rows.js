// The mapping editor: when a row's kind changes, htmx swaps in the inputs of the new kind (see
// _mapping_row_fields.html). The swapped part carries what to say and which input to focus;
// this says it in the editor's polite status region and moves focus to that input, so a
// screen reader user hears that the row changed and lands where the typing goes.
//
// Except while the kind is being chosen with the keys of a closed list (arrows, Home, End, a
// letter): there every key press is a change, and moving focus away would stop the person at
// the first kind after the one they had. Focus then stays on the kind (htmx keeps it), and the
// sentence still says which input comes next.
(() => {
  const status = () => document.getElementById("mapping-rows-status");
  const BROWSING_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
  let browsing = { id: "", at: 0 };

  document.addEventListener("keydown", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.closest(".mapping-row-fields")) return;
    if (BROWSING_KEYS.has(event.key) || event.key.length === 1) browsing = { id: select.id, at: Date.now() };
  });

  document.addEventListener("htmx:afterSettle", () => {
    document.querySelectorAll(".mapping-row-fields[data-announce]").forEach((fields) => {
      const region = status();
      const sentence = fields.dataset.announce;
      if (region) {
        // Emptied first, so the same sentence twice in a row is announced twice.
        region.textContent = "";
        window.setTimeout(() => { region.textContent = sentence; }, 50);
      }
      const kind = fields.querySelector("select[name$='-kind']");
      const byKeys = kind && kind.id === browsing.id && Date.now() - browsing.at < 3000;
      const input = fields.dataset.focus && document.getElementById(fields.dataset.focus);
      if (input && !byKeys) input.focus();
      delete fields.dataset.announce;
    });
  });
})();
