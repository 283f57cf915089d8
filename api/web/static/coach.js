// Progressive enhancement only: every page reads and works without it.
// "Copy" buttons copy the text of the element their data-copy attribute names.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value || source.textContent).then(function () {
    button.textContent = "Copied";
  });
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
