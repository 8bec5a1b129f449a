const dark = window.matchMedia('(prefers-color-scheme: dark)');

/** Web Awesome's `wa-light` / `wa-dark` class on the document, following the system setting live (the portal has no switch). */
export function followSystemTheme(): void {
  const apply = () => {
    const root = document.documentElement;
    root.classList.toggle('wa-dark', dark.matches);
    root.classList.toggle('wa-light', !dark.matches);
    root.dataset.theme = dark.matches ? 'dark' : 'light';
  };
  apply();
  dark.addEventListener('change', apply);
}
