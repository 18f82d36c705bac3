// The header's menu button on a narrow screen: it folds the navigation away until asked for, and
// Escape folds it again. Without this script the button stays hidden and the menu stays open, so
// every link is still reachable. The breakpoint matches .site-menu's in portal.css.
(() => {
  const button = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  const narrow = window.matchMedia("(max-width: 1023px)");
  const set = (open) => {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.hidden = !open;
  };
  button.hidden = false;
  set(!narrow.matches);
  narrow.addEventListener("change", () => set(!narrow.matches));
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
})();
