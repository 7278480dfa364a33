// @ts-check
// A classic (blocking) script in <head>: sets <html data-theme> before the first paint, so a
// dark system never sees the light palette while the modules load. theme.js takes over then.
{
  let stored = null;
  try {
    stored = localStorage.getItem('vitals-theme'); // the key theme.js stores the choice under
  } catch {
    // storage can be disabled; the system preference still works
  }
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme =
    stored === 'light' || stored === 'dark' ? stored : dark ? 'dark' : 'light';
}
