import { useEffect } from 'react';
import { useApp } from './stores/app.ts';

/** Applies the chosen theme to the document, following the OS while the choice is "Match system". */
export function useTheme(): void {
  const preference = useApp((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const theme = preference === 'system' ? (media.matches ? 'dark' : 'light') : preference;
      document.documentElement.dataset.theme = theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [preference]);
}
