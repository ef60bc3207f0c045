/**
 * One Chart.js chart on a canvas, made when the component mounts and destroyed when it goes.
 * Chart.js draws on the canvas and sets the canvas's size through the CSSOM (element.style),
 * which the renderer's CSP allows: it adds no <style> element and evaluates no code
 * (test/e2e/analytics-dashboard.browser.test.ts watches for any CSP violation). Only the parts
 * the dashboard draws are registered, so the bundle carries no other chart type. No animation:
 * the figures are shown as they are, at once.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartConfiguration, ChartType } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/** A colour of the stylesheet (base.css), so the charts follow the app's palette. */
export function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** The stylesheet's font, for the axes and legends. */
function themeFont(): string {
  return getComputedStyle(document.body).fontFamily;
}

interface ChartCanvasProps<T extends ChartType> {
  /** What the chart shows, for screen readers (the figures are also in the tables beside it). */
  readonly label: string;
  readonly config: ChartConfiguration<T>;
}

export function ChartCanvas<T extends ChartType>({ label, config }: ChartCanvasProps<T>) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    Chart.defaults.font.family = themeFont();
    Chart.defaults.color = themeColour('--color-muted', '#5a6272');
    const chart = new Chart(element, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-frame">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
