/* Thi Đua — the reporting dashboard's charts, drawn with the vendored Chart.js 4.
 *
 * The values come from #dashboard-data, which the server writes from the same API results as
 * the page's text: the charts only show them, they compute nothing of their own. When every
 * chart is drawn, <html data-charts="ready"> tells tests (and anyone) so.
 */
import {
  DAY,
  centreTotal,
  colour,
  day,
  family,
  number,
  phaseBands,
  short,
  shown,
  targetMarks,
} from './chart-kit.js';

// The legend's swatches get their colour here, not from a style attribute: the page's
// Content-Security-Policy allows no inline style (shared/http/security_headers.py).
for (const swatch of document.querySelectorAll('.swatch[data-colour]')) {
  swatch.style.background = swatch.dataset.colour;
}

const source = document.getElementById('dashboard-data');
const data = source && typeof Chart !== 'undefined' ? JSON.parse(source.textContent) : null;
const words = data ? data.words : {};
const STATE_COLOURS = { met: colour('--ok'), exceeded: '#d4a017', missed: colour('--err') };

function trendChart(canvas, trend) {
  const start = day(trend.start);
  const end = day(trend.end) + DAY;
  const points = (values) => trend.days.map((iso, i) => ({ x: day(iso), y: values[i] }));
  const line = (label, values, colourName, background) => ({
    label,
    data: points(values),
    borderColor: colour(colourName),
    backgroundColor: background,
    fill: 'origin',
    stepped: true, // running totals change by the day
    borderWidth: 2.5,
    pointRadius: 0,
  });
  const datasets = [
    line(words.submitted, trend.submitted, '--brand', 'rgba(11, 83, 148, 0.12)'),
    line(words.recognised, trend.recognised, '--ok', 'rgba(30, 123, 52, 0.10)'),
  ];
  if (trend.goal) {
    datasets.push({
      label: `${words.goal} ${number.format(trend.goal)}`,
      data: [{ x: start, y: trend.goal }, { x: end, y: trend.goal }],
      borderColor: colour('--accent'),
      borderDash: [8, 5],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
    });
  }
  const highest = Math.max(trend.goal || 0, ...trend.submitted, 10);
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: start,
          max: end,
          afterBuildTicks(axis) {
            // A tick on the first day of each month.
            const first = new Date(start);
            const ticks = [];
            for (let m = 0; ; m++) {
              const at = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + m, 1);
              if (at > end) break;
              ticks.push({ value: at });
            }
            axis.ticks = ticks;
          },
          ticks: { callback: (value) => shown(value), maxRotation: 0, autoSkipPadding: 12 },
          grid: { color: 'rgba(0, 0, 0, 0.05)' },
        },
        y: {
          min: 0,
          suggestedMax: Math.ceil((highest * 1.12) / 100) * 100,
          ticks: { callback: (value) => number.format(value) },
        },
      },
      plugins: {
        phaseBands: { phases: trend.phases },
        legend: { position: 'bottom', labels: { usePointStyle: true, pointStyle: 'line' } },
        tooltip: {
          callbacks: {
            title: (items) => shown(items[0].parsed.x),
            label: (item) => `${item.dataset.label}: ${number.format(item.parsed.y)}`,
          },
        },
      },
    },
    plugins: [phaseBands],
  });
}

function targetsChart(canvas, targets) {
  const widest = Math.max(100, ...targets.percent, ...targets.goal);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: targets.labels,
      datasets: [
        {
          label: '%',
          data: targets.percent,
          backgroundColor: targets.state.map((s) => STATE_COLOURS[s]),
          borderRadius: 4,
          barPercentage: 0.72,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 24 } },
      scales: {
        x: {
          min: 0,
          suggestedMax: widest * 1.1, // room for the percent written after the longest bar
          ticks: { callback: (value) => `${number.format(value)}%` },
        },
        y: {
          ticks: {
            // The number and the start of the target's name (in full in the cards below),
            // as much of it as the screen's width allows.
            callback(_value, i) {
              const most = Math.max(8, Math.min(34, Math.floor(this.chart.width / 26)));
              return `${i + 1}. ${short(targets.names[i], most)}`;
            },
          },
          grid: { display: false },
        },
      },
      plugins: {
        targetMarks: { goals: targets.goal },
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => `${items[0].label}: ${targets.names[items[0].dataIndex]}`,
            label: (item) => `${number.format(item.raw)}% (${words[targets.state[item.dataIndex]]})`,
          },
        },
      },
    },
    plugins: [targetMarks],
  });
}

function fieldsChart(canvas, fields) {
  const total = fields.submitted.reduce((a, b) => a + b, 0) || 1;
  return new Chart(canvas, {
    type: 'doughnut',
    data: {
      labels: fields.labels,
      datasets: [
        {
          data: fields.submitted,
          backgroundColor: fields.colours,
          borderColor: '#fff',
          borderWidth: 2,
        },
      ],
    },
    options: {
      cutout: '58%',
      plugins: {
        centreTotal: { caption: words.submitted },
        legend: { display: false }, // the table beside it is the legend, with its colours
        tooltip: {
          callbacks: {
            label: (item) => {
              const share = number.format((item.raw * 100) / total);
              return `${item.label}: ${number.format(item.raw)} (${share}%)`;
            },
          },
        },
      },
    },
    plugins: [centreTotal],
  });
}

if (data) {
  Chart.defaults.font.family = family;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = colour('--ink');
  Chart.defaults.maintainAspectRatio = false;
  // Screenshots and people who asked for less motion get the final picture at once.
  if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
    Chart.defaults.animation = false;
  }
  const draw = {
    'trend-chart': [trendChart, data.trend],
    'targets-chart': [targetsChart, data.targets],
    'fields-chart': [fieldsChart, data.fields],
  };
  for (const [id, [make, values]] of Object.entries(draw)) {
    const canvas = document.getElementById(id);
    if (canvas) make(canvas, values);
  }
  document.documentElement.dataset.charts = 'ready';
}
