import type { ReactElement } from 'react';
import type { ThemePreference } from '../../../app/contract.ts';
import { useApp } from '../stores/app.ts';
import { Icon, type IconName } from './Icon.tsx';

const OPTIONS: { value: ThemePreference; label: string; icon: IconName }[] = [
  { value: 'system', label: 'Match system', icon: 'monitor' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
];

/** Light, dark, or whatever the OS uses: a radio group, so arrow keys move between the three. */
export function ThemeSwitch(): ReactElement {
  const theme = useApp((s) => s.settings?.theme ?? 'system');
  const setTheme = useApp((s) => s.setTheme);
  return (
    <div className="theme-switch" role="radiogroup" aria-label="Theme">
      {OPTIONS.map((option) => (
        <label key={option.value} className="theme-switch__option" title={option.label}>
          <input
            type="radio"
            name="theme"
            value={option.value}
            checked={theme === option.value}
            onChange={() => void setTheme(option.value)}
            aria-label={option.label}
          />
          <Icon name={option.icon} size={15} />
        </label>
      ))}
    </div>
  );
}
