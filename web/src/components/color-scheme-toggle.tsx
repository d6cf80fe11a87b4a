import { Button, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';

/** Light/dark switch; until it is used, the app follows the operating system's setting. */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const current = useComputedColorScheme('light');
  const next = current === 'dark' ? 'light' : 'dark';
  return (
    <Button variant="subtle" size="compact-sm" onClick={() => setColorScheme(next)}>
      {next === 'dark' ? 'Dark mode' : 'Light mode'}
    </Button>
  );
}
