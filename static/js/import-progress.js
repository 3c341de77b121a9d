// The caseload import's progress page (templates/ehc/import/job.html): ask
// the job's progress every 2 seconds, show it in the live region, and load
// the page again once the worker has finished. Without JavaScript the page
// offers "Check again".
const panel = document.getElementById("import-progress");
if (panel) {
  const url = panel.dataset.progressUrl;
  const text = panel.querySelector("[data-progress-text]");
  const bar = panel.querySelector("progress");
  const ask = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const job = await response.json();
        if (!job.busy) {
          window.location.reload();
          return;
        }
        text.textContent = `${job.progress}% done`;
        bar.value = job.progress;
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(ask, 2000);
  };
  window.setTimeout(ask, 2000);
}
