// A lead on the operations timeline made a sighting in one step: "Make a sighting" posts to
// /v1/leads/{id}/sighting (with the checkpoint chosen, when the lead does not say which screened the
// query) and says what happened beside the button. Lines that arrive live work the same way.
import { api } from "./forms.js";

document.addEventListener("click", async (event) => {
  const button = event.target.closest?.(".lead-make");
  if (!button) return;
  const box = button.closest(".lead-action");
  const result = box.querySelector(".lead-result");
  const select = box.querySelector(".lead-checkpoint");
  button.disabled = true;
  result.textContent = "Sending…";
  const body = select ? { checkpoint: select.value } : {};
  const answer = await api("POST", `/v1/leads/${encodeURIComponent(box.dataset.lead)}/sighting`, body);
  if (answer.ok) {
    box.querySelector("label")?.remove();
    button.remove();
    result.textContent = `Sighting ${answer.body?.id ?? ""} made.`;
    box.dataset.state = "made";
  } else {
    button.disabled = false;
    result.textContent = answer.body?.detail ?? answer.body?.title ?? `Refused (${answer.status}).`;
  }
});
