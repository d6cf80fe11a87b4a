/**
 * A small SVG column chart: one bar per label, a value axis from zero with three grid lines,
 * and the labels beneath. No chart library: the project has none, and a few bars do not need
 * one. The chart is a picture for people who can see it; its numbers are in the table that
 * every use of it puts beneath, which is what screen readers read (the SVG is one image with a
 * name, not 60 unlabelled shapes).
 *
 * A bar whose number is hidden (fewer than k managers) is drawn as a dashed outline across the
 * whole height, marked with its "<k" text, so a gap never reads as zero.
 */
import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';

export interface Bar {
  label: string;
  /** The number, or null: no data when `suppressed` is false, hidden when true. */
  value: number | null;
  suppressed: boolean;
}

/** The width drawn before the box has been measured (the first render). */
const DEFAULT_WIDTH = 640;
const HEIGHT = 220;
const PLOT = { left: 56, right: 8, top: 12, bottom: 40 };

/** A round number at or above `max` for the axis: 1, 2 or 5 times a power of ten. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= max) ?? 10;
  return step * power;
}

export function BarChart({
  title,
  bars,
  format,
  suppressedLabel,
}: {
  title: string;
  bars: Bar[];
  /** How a value is written on the axis. */
  format: (value: number) => string;
  /** What a hidden bar is marked with, such as "<5". */
  suppressedLabel: string;
}) {
  // Drawn at the box's own width in pixels, so the labels stay 12 px on a phone too (a fixed
  // viewBox scaled down to 330 px would shrink them to 6).
  const { ref, width: measured } = useElementSize();
  const width = Math.max(240, Math.round(measured) || DEFAULT_WIDTH);
  const top = niceCeiling(Math.max(0, ...bars.map((bar) => bar.value ?? 0)));
  const plotWidth = width - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.min(48, Math.max(2, slot * 0.7));
  const y = (value: number) => PLOT.top + plotHeight * (1 - value / top);
  // Only as many x labels as fit side by side ("12 Mar 2026" is about 70 px), evenly spaced.
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.max(1, Math.floor(plotWidth / 84))));
  return (
    <Box ref={ref}>
      <Text fw={600} size="sm" mb={4} aria-hidden="true">
        {title}
      </Text>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width="100%"
        height={HEIGHT}
        role="img"
        style={{ display: 'block', fontSize: 12 }}
      >
        <title>{title}</title>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line
              x1={PLOT.left}
              x2={width - PLOT.right}
              y1={y(top * share)}
              y2={y(top * share)}
              stroke="var(--mantine-color-default-border)"
            />
            <text
              x={PLOT.left - 6}
              y={y(top * share)}
              textAnchor="end"
              dominantBaseline="middle"
              fill="var(--mantine-color-text)"
            >
              {format(top * share)}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const x = PLOT.left + slot * index + (slot - barWidth) / 2;
          const center = x + barWidth / 2;
          return (
            <g key={bar.label}>
              {bar.value !== null && (
                <rect
                  x={x}
                  y={y(bar.value)}
                  width={barWidth}
                  height={Math.max(0, y(0) - y(bar.value))}
                  fill="var(--mantine-color-indigo-filled)"
                />
              )}
              {bar.suppressed && (
                <>
                  <rect
                    x={x}
                    y={PLOT.top}
                    width={barWidth}
                    height={plotHeight}
                    fill="none"
                    stroke="var(--mantine-color-dimmed)"
                    strokeDasharray="4 3"
                  />
                  <text
                    x={center}
                    y={PLOT.top + plotHeight / 2}
                    textAnchor="middle"
                    fill="var(--mantine-color-text)"
                  >
                    {suppressedLabel}
                  </text>
                </>
              )}
              {index % labelEvery === 0 && (
                <text
                  x={center}
                  y={HEIGHT - PLOT.bottom + 16}
                  textAnchor="middle"
                  fill="var(--mantine-color-text)"
                >
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </Box>
  );
}
