// The case list's "tick every row of the page" box (the page works without it).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("action-toggle");
  if (!toggle) return;
  const boxes = () => document.querySelectorAll("#result_list input.action-select");
  toggle.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = toggle.checked; });
  });
  document.getElementById("result_list").addEventListener("change", (event) => {
    if (!event.target.classList.contains("action-select")) return;
    const all = Array.from(boxes());
    toggle.checked = all.every((box) => box.checked);
    toggle.indeterminate = !toggle.checked && all.some((box) => box.checked);
  });
});
