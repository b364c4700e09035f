// Sending alerts and re-sending them to recipients that have not acknowledged.
import { bindForm, showResult } from "./forms.js";

function bindResend(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "1";
  bindForm(form, {
    build: () => ({}),
    done(form, answer) {
      const sent = answer.items.filter((item) => item.outcome === "sent").length;
      const waiting = answer.items.length - sent;
      showResult(form, `Sent again to ${sent}; ${waiting} not connected get it when they connect.`);
    },
  });
}

for (const form of document.querySelectorAll("form.resend")) bindResend(form);
document.addEventListener("cordon:alert-added", (event) => {
  for (const form of event.detail.querySelectorAll("form.resend")) bindResend(form);
});

const send = document.getElementById("send-alert-form");
if (send) {
  bindForm(send, {
    done(form, summary) {
      showResult(form, `Alert ${summary.alert.id} sent to ${summary.recipients.length} recipient(s).`);
    },
  });
}
