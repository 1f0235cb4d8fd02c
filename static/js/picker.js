// The searchable people picker (lvzhi/core/widgets.py, DESIGN §12): every
// select[data-picker] becomes a Tom Select, searched by typing part of a
// name, with a control under it that adds every person of a sector, special
// committee or studio. The options say which groups each person is in
// (data-sector="3", data-special="1 4"), so adding a group asks the server
// nothing. Without JavaScript the plain <select multiple> still works; the
// server checks every id either way. No inline script or style (CSP).
(() => {
  if (typeof TomSelect === "undefined") {
    return;
  }
  let counter = 0;
  const make = (tag, attrs = {}, text = "") => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      element.setAttribute(name, value);
    }
    element.textContent = text;
    return element;
  };
  const escapeHtml = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  };

  // The remove button of each chosen person is read aloud as "移除 张三".
  const labelRemoveButtons = (picker, removeText) => {
    for (const item of picker.control.querySelectorAll(".item")) {
      const button = item.querySelector(".remove");
      const option = picker.options[item.dataset.value];
      if (button && option) {
        button.setAttribute("aria-label", `${removeText} ${option.text}`);
        button.setAttribute("role", "button");
      }
    }
  };

  const bulkControl = (select, picker) => {
    const data = select.dataset;
    const groups = JSON.parse(data.pickerGroups || "[]");
    if (!groups.length || select.disabled) {
      return;
    }
    counter += 1;
    const id = `picker-bulk-${counter}`;
    const box = make("div", { class: "picker-bulk" });
    box.append(make("label", { class: "form-label small mb-1", for: id }, data.pickerBulk));
    const row = make("div", { class: "input-group input-group-sm" });
    const choose = make("select", { class: "form-select", id });
    choose.append(make("option", { value: "" }, data.pickerBulkChoose));
    for (const group of groups) {
      const optgroup = make("optgroup", { label: group.label });
      for (const [value, name] of group.choices) {
        optgroup.append(make("option", { value }, name));
      }
      choose.append(optgroup);
    }
    const add = make("button", { type: "button", class: "btn btn-outline-primary" }, data.pickerAdd);
    const status = make("div", { class: "form-text", role: "status", "aria-live": "polite" });
    row.append(choose, add);
    box.append(row, status);
    select.parentNode.insertBefore(box, picker.wrapper.nextSibling);
    // The open list would cover the control on a phone.
    for (const event of ["focus", "pointerdown", "change"]) {
      choose.addEventListener(event, () => picker.close());
    }

    add.addEventListener("click", () => {
      const [key, groupId] = choose.value.split(":");
      if (!groupId) {
        choose.focus();
        return;
      }
      const values = Array.from(select.options)
        .filter((option) => (option.dataset[key] || "").split(" ").includes(groupId))
        .map((option) => option.value)
        .filter((value) => !picker.items.includes(value));
      picker.addItems(values);
      status.textContent = data.pickerAdded.replace("{count}", String(values.length));
      choose.value = "";
    });
  };

  for (const select of document.querySelectorAll("select[data-picker]")) {
    const data = select.dataset;
    const picker = new TomSelect(select, {
      plugins: { remove_button: { title: data.pickerRemove, label: "×" } },
      placeholder: data.pickerPlaceholder,
      hidePlaceholder: false,
      maxOptions: null,
      closeAfterSelect: false,
      // Search the shown name ("张三（经济界）"); equal matches in the options' order (by sector).
      searchField: ["text"],
      sortField: [{ field: "$score" }, { field: "$order" }],
      render: {
        no_results: () => `<div class="no-results">${escapeHtml(data.pickerEmpty)}</div>`,
      },
      onItemAdd() {
        // Ready for the next name.
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
    });
    // The <label> now names the search box; the original <select> (kept,
    // clipped, for the form) is taken out of what a screen reader reads.
    const label = document.querySelector(`label[for="${picker.control_input.id}"]`);
    if (label) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    select.setAttribute("aria-hidden", "true");
    const relabel = () => labelRemoveButtons(picker, data.pickerRemove);
    picker.on("item_add", relabel);
    picker.on("change", relabel);
    relabel();
    bulkControl(select, picker);
  }
})();
