import { useId } from 'react';
import type { ReactNode } from 'react';

/** The frame of every screen before the inbox: one card with a heading, centred on the page. */
export function ScreenCard({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  const headingId = useId();
  return (
    <main className="screen">
      <section className={`card ${wide ? 'card-wide' : ''}`} aria-labelledby={headingId}>
        <h1 id={headingId}>{title}</h1>
        {children}
      </section>
    </main>
  );
}
