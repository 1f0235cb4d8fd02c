// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Installable on phones: the service worker (lvzhi/core/pwa.py) shows the
// offline page when the network is gone. Browsers allow it on HTTPS and on
// localhost only; elsewhere this does nothing.
if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
  navigator.serviceWorker
    .register(document.body.dataset.serviceWorker, { scope: "/" })
    .catch(() => {});
}

// Drafts survive a lost connection (DESIGN §12): a form marked
// data-draft-key keeps what is typed in this browser's storage, puts it back
// when the form is opened again, and refuses to post while offline
// (the text would otherwise be lost on the browser's error page). A posted
// draft is held for this tab until the next page says the save succeeded.
const DRAFT_PREFIX = "lvzhi-draft:";
const draftFields = (form) =>
  Array.from(form.elements).filter(
    (field) =>
      field.name &&
      !field.disabled &&
      field.name !== "csrfmiddlewaretoken" &&
      !["hidden", "password", "file", "submit", "button"].includes(field.type),
  );
const draftRead = (form) => {
  const values = {};
  for (const field of draftFields(form)) {
    if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked) {
        (values[field.name] ||= []).push(field.value);
      }
    } else if (field.multiple) {
      values[field.name] = Array.from(field.selectedOptions, (option) => option.value);
    } else if (field.value) {
      values[field.name] = [field.value];
    }
  }
  return values;
};
const draftWrite = (form, values) => {
  for (const field of draftFields(form)) {
    const saved = values[field.name];
    if (!saved) {
      continue;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = saved.includes(field.value);
    } else if (field.multiple) {
      for (const option of field.options) {
        option.selected = saved.includes(option.value);
      }
    } else {
      field.value = saved[0];
    }
  }
};
const isEmpty = (values) => Object.keys(values).length === 0;
const draftKey = (form) => DRAFT_PREFIX + form.dataset.draftKey;

if (document.querySelector(".alert-success")) {
  // The server confirmed a save: the drafts posted from this tab are done.
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) {
      localStorage.removeItem(key);
      sessionStorage.removeItem(key);
    }
  }
}
for (const form of document.querySelectorAll("form[data-draft-key]")) {
  const key = draftKey(form);
  const kept = localStorage.getItem(key);
  const notice = form.querySelector("[data-draft-restored]");
  // Put the kept text back unless the server just answered this form with
  // errors (then the form already shows what was posted).
  if (kept && !form.querySelector(".is-invalid") && kept !== JSON.stringify(draftRead(form))) {
    draftWrite(form, JSON.parse(kept));
    if (notice) {
      notice.hidden = false;
    }
  }
  form.addEventListener("input", () => {
    const values = draftRead(form);
    if (isEmpty(values)) {
      localStorage.removeItem(key);
    } else {
      localStorage.setItem(key, JSON.stringify(values));
    }
  });
  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      const offline = form.querySelector("[data-draft-offline]");
      if (offline) {
        offline.hidden = false;
      }
      return;
    }
    sessionStorage.setItem(key, "posted");
  });
}
