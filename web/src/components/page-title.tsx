import { Title } from '@mantine/core';
import { useEffect, useRef } from 'react';

/**
 * The page's heading, also the document title. It takes focus when the page opens, as a full
 * page load would reset it: a screen reader announces the new page, and Tab starts from here.
 */
export function PageTitle({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Blindspot admin`;
    heading.current?.focus({ preventScroll: true });
  }, [children]);
  return (
    <Title ref={heading} order={1} size="h2" mb="md" tabIndex={-1} style={{ outline: 'none' }}>
      {children}
    </Title>
  );
}
