// Status changes on the fugitive board, for those allowed to make them.
import { bindForm, showResult } from "./forms.js";

for (const form of document.querySelectorAll(".status-form")) {
  bindForm(form, {
    done(form, person) {
      const status = person.wanted?.history?.at(-1)?.status ?? "";
      showResult(form, `Status changed to ${status.replace("_", " ")}.`);
      form.note.value = "";
    },
  });
}
