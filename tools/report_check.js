/* Injected into a copy of report.html by tools/test_report_browser.sh (not part of reports):
   rasterizes every plot in Chromium and counts its non-white pixels, records script errors and
   any resource the page fetched (a self-contained report fetches none), then writes the verdict
   into the page title for `chromium --dump-dom`. */
(function () {
  const errors = [];
  window.addEventListener('error', (e) => errors.push(String(e.message)));
  const originalError = console.error;
  console.error = (...args) => { errors.push(args.join(' ')); originalError(...args); };
  window.addEventListener('load', async () => {
    const svgs = Array.from(document.querySelectorAll('figure.plot svg'));
    const ink = [];
    for (const svg of svgs) {
      const box = svg.getBoundingClientRect();
      const url = 'data:image/svg+xml;charset=utf-8,' +
                  encodeURIComponent(new XMLSerializer().serializeToString(svg));
      const image = new Image();
      await new Promise((resolve) => { image.onload = resolve; image.onerror = resolve; image.src = url; });
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(box.width));
      canvas.height = Math.max(1, Math.round(box.height));
      const context = canvas.getContext('2d');
      context.fillStyle = 'white';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) count++;
      }
      ink.push(count);
    }
    const fetched = performance.getEntriesByType('resource').map((r) => r.name);
    const blank = ink.filter((n) => n < 500).length;
    const verdict = {plots: svgs.length, blank: blank, min_ink: Math.min(...ink),
                     errors: errors, fetched: fetched};
    document.title = 'REPORT-CHECK ' + JSON.stringify(verdict);
  });
})();
