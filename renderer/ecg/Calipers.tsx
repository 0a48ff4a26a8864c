/**
 * Two vertical markers over the tracing, dragged with the mouse (or moved with the arrow keys,
 * 1 mm a press); shows the interval between them and the rate it would be as an RR interval.
 */
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { caliperReading, clampMarker } from './calipers.ts';
import type { PaperScale } from './paper-grid.ts';

export function Calipers({ widthPx, heightPx, scale, initial }: { widthPx: number; heightPx: number; scale: PaperScale; initial: [number, number] }) {
  const { t } = useTranslation();
  const [markers, setMarkers] = useState<[number, number]>(initial);
  const area = useRef<HTMLDivElement>(null);
  const dragging = useRef<0 | 1 | null>(null);
  const reading = caliperReading(markers[0], markers[1], scale);

  const move = (which: 0 | 1, x: number) =>
    setMarkers((m) => {
      const next: [number, number] = [...m];
      next[which] = clampMarker(x, widthPx);
      return next;
    });

  const onPointerMove = (e: ReactPointerEvent) => {
    if (dragging.current === null || !area.current) return;
    move(dragging.current, e.clientX - area.current.getBoundingClientRect().left);
  };

  return (
    <div className="ecg-calipers" ref={area} style={{ width: widthPx, height: heightPx }} onPointerMove={onPointerMove} onPointerUp={() => (dragging.current = null)} onPointerLeave={() => (dragging.current = null)}>
      {markers.map((x, i) => (
        <div
          key={i}
          className="ecg-caliper-marker"
          role="slider"
          tabIndex={0}
          aria-label={t(i === 0 ? 'ecg.caliperA' : 'ecg.caliperB')}
          aria-valuemin={0}
          aria-valuemax={Math.round(widthPx)}
          aria-valuenow={Math.round(x)}
          data-testid={`caliper-${i}`}
          style={{ left: x }}
          onPointerDown={(e) => {
            dragging.current = i as 0 | 1;
            (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowLeft') move(i as 0 | 1, x - scale.pxPerMm);
            if (e.key === 'ArrowRight') move(i as 0 | 1, x + scale.pxPerMm);
          }}
        />
      ))}
      <output className="ecg-caliper-reading" data-testid="caliper-reading">
        {t('ecg.caliperReading', { ms: reading.deltaMs, rate: reading.rateBpm ?? '—' })}
      </output>
    </div>
  );
}
