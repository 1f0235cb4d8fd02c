// Proposal pages: the print button and the draft's autosave (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print]");
  if (target) {
    window.print();
  }
});

// Autosave an existing draft every 30 seconds after a change, through the
// same form and endpoint as the explicit "Save draft" button.
(() => {
  const form = document.getElementById("proposal-form");
  if (!form || !form.dataset.autosave) {
    return;
  }
  let dirty = false;
  const status = document.getElementById("autosave-status");
  form.addEventListener("input", () => {
    dirty = true;
  });
  window.setInterval(async () => {
    if (!dirty) {
      return;
    }
    dirty = false;
    const data = new FormData(form);
    data.delete("attachment");
    data.set("save", "1");
    data.set("autosave", "1");
    try {
      const response = await fetch(form.dataset.autosave, { method: "POST", body: data });
      if (status && response.ok) {
        status.textContent = status.dataset.savedText + " " + new Date().toLocaleTimeString();
      }
    } catch (error) {
      dirty = true;
    }
  }, 30000);
})();
