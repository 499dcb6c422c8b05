// The console's only script: "select all" on the dead-letter page.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll('#dead input[name="id"]').forEach(function (b) { b.checked = all.checked; });
  });
});
