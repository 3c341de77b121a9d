// The subject access ZIP's waiting page (templates/governance/
// subject_access_export.html): ask the export's status every few seconds,
// say it in the live region when it changes, and load the page again once
// the worker has finished (ready or failed), which then offers the download
// or "Prepare it again". The page itself is never reloaded while waiting,
// so nothing moves under the reader; without JavaScript it offers
// "Check again".
const panel = document.getElementById("export-progress");
if (panel) {
  const url = panel.dataset.statusUrl;
  const every = Number(panel.dataset.intervalSeconds || 10) * 1000;
  const text = panel.querySelector("[data-status-text]");
  const ask = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        if (!state.pending) {
          window.location.reload();
          return;
        }
        if (text.textContent !== state.status) {
          text.textContent = state.status;
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(ask, every);
  };
  window.setTimeout(ask, every);
}
