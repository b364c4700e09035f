// Custody: check-ins with the post's code, roll calls (the count is compared with who is held; a
// discrepancy raises an incident) and the armory ledger.
import { bindForm, fields, localTime, showResult } from "./forms.js";

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

for (const form of document.querySelectorAll("form.check-in")) {
  bindForm(form, {
    build(form) {
      if (!form.code.value) return { errors: [{ pointer: "/code", detail: "Enter the post's code." }] };
      return { code: form.code.value };
    },
    done(form, receipt) {
      form.code.value = "";
      showResult(form, `Checked in. Next check-in due ${localTime(receipt.next_due)}.`);
    },
  });
}

for (const form of document.querySelectorAll("form.armory-entry")) {
  bindForm(form, {
    done(form, result) {
      const held = Object.keys(result.issued).length;
      const names = Object.fromEntries([...form.staff.options].map((option) => [option.value, option.text]));
      for (const row of form.closest("section").querySelectorAll("tr[data-item]")) {
        const holder = result.issued[row.dataset.item];
        row.className = holder ? "armory-out" : "armory-in";
        row.querySelector(".where").textContent = holder ? `issued to ${names[holder] ?? holder}` : "in the armory";
      }
      showResult(form, `Recorded. ${held} item(s) out of the armory.${result.incident ? ` Incident ${result.incident} raised.` : ""}`);
    },
  });
}
