// Roll calls: the count is compared with who is held; a discrepancy raises an incident.
import { bindForm, fields, showResult } from "./forms.js";

for (const form of document.querySelectorAll("form.roll-call")) {
  bindForm(form, {
    build(form) {
      const body = fields(form);
      if (body.counted === undefined) return { errors: [{ pointer: "/counted", detail: "Enter how many were counted." }] };
      return body;
    },
    done(form, result) {
      showResult(form, result.consistent
        ? `Counted ${result.counted} of ${result.expected}: the count agrees.`
        : `Counted ${result.counted} of ${result.expected}: discrepancy, incident ${result.incident} raised.`);
    },
  });
}
