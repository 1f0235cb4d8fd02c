// Public-opinion pages: a live character count on the report form and the
// print button of the printable issue. No inline scripts (CSP).
(() => {
  const text = document.querySelector("textarea[data-maxchars]");
  const counter = document.getElementById("char-count");
  if (text && counter) {
    const max = Number(text.getAttribute("data-maxchars"));
    const template = counter.getAttribute("data-template");
    const update = () => {
      const count = [...text.value.trim()].length;
      counter.textContent = template.replace("{count}", count).replace("{max}", max);
      counter.classList.toggle("text-danger", count > max);
    };
    text.addEventListener("input", update);
    update();
  }
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
