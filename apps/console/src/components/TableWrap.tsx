import type { ComponentChildren } from 'preact';

/** A table that may scroll sideways on a narrow window: focusable and named, so keyboard users can scroll it. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
