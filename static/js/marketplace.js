// On a phone the filters start folded, so the results come right after the search box. Without
// this script, or once a filter is chosen, they stay open (the page works without it).
(() => {
  const filters = document.querySelector(".marketplace-filters");
  if (filters && !filters.hasAttribute("data-filtered") && window.matchMedia("(max-width: 899px)").matches) {
    filters.open = false;
  }
})();
