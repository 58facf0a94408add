/* On a wide screen the filters stand open beside the results; on a phone they wait behind "Filters". */
(function () {
  var wide = window.matchMedia("(min-width: 48.01rem)");
  var panels = document.querySelectorAll("details.filters");
  function sync() {
    for (var i = 0; i < panels.length; i++) { if (wide.matches) { panels[i].open = true; } }
  }
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
})();
